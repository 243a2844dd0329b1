import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { Database } from '@switchyard/db';
import { createCaller, createContextInner, type SessionUser } from '../../src/index';

/**
 * The user router tests act as unless they say otherwise: a platform admin (every tenant, every
 * role), so tests of a feature exercise the feature. Role and isolation tests pass their own user.
 */
export const TEST_PLATFORM_ADMIN: SessionUser = {
  id: '00000000-0000-4000-8000-00000000a11a',
  email: 'platform-admin@test.local',
  name: 'Test platform admin',
  platformAdmin: true,
};
export const TEST_ACTOR = `user:${TEST_PLATFORM_ADMIN.email}`;

export function callerFor(db: Database, tenantSlug: string | null, user: SessionUser | null = TEST_PLATFORM_ADMIN) {
  return createCaller(createContextInner({ db, tenantSlug, user }));
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
