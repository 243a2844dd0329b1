// Prisma 7 configuration. The CLI is used only for `generate` here (its schema engine cannot be
// downloaded offline); migrations are diffed and applied by packages/db (see docs/architecture.md).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgres://localhost:5432/switchyard' },
});
