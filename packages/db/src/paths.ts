import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Repository locations, resolved from this file (packages/db/src) rather than the working directory,
 * so the CLIs and the embedded host find the same folders wherever they are started from.
 */
export function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
}

export function defaultMigrationsDir(): string {
  return path.join(repoRoot(), 'prisma', 'migrations');
}

export function defaultSchemaPath(): string {
  return path.join(repoRoot(), 'prisma', 'schema.prisma');
}
