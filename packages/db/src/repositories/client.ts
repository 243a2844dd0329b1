import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** What repository functions accept: the full client, or the client inside an interactive transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/** Prisma's error code for a unique-constraint violation. */
const UNIQUE_VIOLATION = 'P2002';

/**
 * True when `error` is a unique-constraint violation. Checked structurally so callers need not import
 * Prisma's runtime error classes (which differ between the client and driver-adapter builds).
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

