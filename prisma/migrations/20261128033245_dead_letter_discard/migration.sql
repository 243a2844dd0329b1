-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "discard_reason" TEXT,
ADD COLUMN     "discarded_at" TIMESTAMPTZ(3);
