import type { Prisma } from './generated/prisma/client';

/**
 * Typed values (a Graph, a RunState) for Prisma `Json` fields. Prisma's InputJsonValue demands an
 * index signature that interfaces and zod-inferred types lack, although they are plain JSON; this
 * is the one place that says so instead of casts at every call site.
 */
export function toJsonValue<T extends object | string | number | boolean>(value: T): Prisma.InputJsonValue {
  return value as unknown as Prisma.InputJsonValue;
}
