import { randomBytes } from 'node:crypto';
import type { ApiDatabase } from '../trpc';
import { authFor } from './server-auth';

/** A password for a new user, shown once to the admin who created it (24 random characters). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export class UserExistsError extends Error {}

/**
 * Creates a user with an email + password credential through better-auth's own adapter and password
 * hasher (self sign-up is off, so this is the only way a user comes to be).
 */
export async function createPasswordUser(
  db: Pick<ApiDatabase, 'pool' | 'kind'>,
  input: { email: string; name: string; password: string; platformAdmin?: boolean },
): Promise<{ id: string; email: string; name: string }> {
  const ctx = await authFor(db).$context;
  const email = input.email.trim().toLowerCase();
  if (await ctx.internalAdapter.findUserByEmail(email)) throw new UserExistsError(`a user with email ${email} already exists`);
  const hash = await ctx.password.hash(input.password);
  const user = await ctx.internalAdapter.createUser({ email, name: input.name, emailVerified: true, platformAdmin: input.platformAdmin === true }, { method: 'admin' });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: hash });
  return { id: user.id, email: user.email, name: user.name };
}

/** Replaces a user's password (an admin's reset); every existing session of the user ends. */
export async function setUserPassword(db: Pick<ApiDatabase, 'pool' | 'kind'>, userId: string, password: string): Promise<void> {
  const ctx = await authFor(db).$context;
  await ctx.internalAdapter.updatePassword(userId, await ctx.password.hash(password));
  await ctx.internalAdapter.deleteUserSessions(userId);
}
