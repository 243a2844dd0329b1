import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { Database } from '@switchyard/db';
import { createCaller, createContextInner } from '../../src/index';

export function callerFor(db: Database, tenantSlug: string | null) {
  return createCaller(createContextInner({ db, tenantSlug }));
}

/** Awaits a call expected to fail and returns the TRPCError, checking its code. */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code']): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${code} error`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}
