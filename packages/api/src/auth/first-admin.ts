import { openDatabase } from '@switchyard/db';
import type { ApiDatabase } from '../trpc';
import { authFor } from './server-auth';
import { createPasswordUser, generatePassword } from './users';

export const ADMIN_EMAIL_ENV = 'SWITCHYARD_ADMIN_EMAIL';
export const ADMIN_PASSWORD_ENV = 'SWITCHYARD_ADMIN_PASSWORD';
export const DEFAULT_ADMIN_EMAIL = 'admin@switchyard.local';

export interface FirstAdminResult {
  email: string;
  /** Set when this call chose the password (generated), so the caller can print it this once. */
  generatedPassword: string | null;
  created: boolean;
  /** True when SWITCHYARD_ADMIN_PASSWORD replaced a different stored password. */
  passwordReset: boolean;
}

/**
 * Makes sure an estate can be signed into: when no platform admin exists, creates one from
 * SWITCHYARD_ADMIN_EMAIL / SWITCHYARD_ADMIN_PASSWORD (or the default email and a generated password).
 * When that admin exists and SWITCHYARD_ADMIN_PASSWORD is set but no longer matches, the env value
 * wins, so a lost password is recovered by restarting with it.
 */
export async function ensureFirstAdmin(db: Pick<ApiDatabase, 'pool' | 'kind' | 'prisma'>, env: Record<string, string | undefined> = process.env): Promise<FirstAdminResult> {
  const email = (env[ADMIN_EMAIL_ENV]?.trim() || DEFAULT_ADMIN_EMAIL).toLowerCase();
  const wanted = env[ADMIN_PASSWORD_ENV] || null;
  if (wanted !== null && wanted.length < 10) throw new Error(`${ADMIN_PASSWORD_ENV} must be at least 10 characters long`);
  const existingAdmin = await db.prisma.user.findFirst({ where: { platformAdmin: true }, orderBy: { createdAt: 'asc' }, select: { id: true, email: true } });
  if (!existingAdmin) {
    const sameEmail = await db.prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (sameEmail) {
      // A user with this email exists (created as a tenant member): promote it rather than fail.
      await db.prisma.user.update({ where: { id: sameEmail.id }, data: { platformAdmin: true } });
      return { email, generatedPassword: null, created: false, passwordReset: false };
    }
    const password = wanted ?? generatePassword();
    await createPasswordUser(db, { email, name: 'Platform admin', password, platformAdmin: true });
    return { email, generatedPassword: wanted ? null : password, created: true, passwordReset: false };
  }
  if (wanted === null || existingAdmin.email !== email) return { email: existingAdmin.email, generatedPassword: null, created: false, passwordReset: false };
  const ctx = await authFor(db).$context;
  const account = (await ctx.internalAdapter.findAccounts(existingAdmin.id)).find((a) => a.providerId === 'credential');
  if (account?.password && (await ctx.password.verify({ hash: account.password, password: wanted }))) {
    return { email, generatedPassword: null, created: false, passwordReset: false };
  }
  const hash = await ctx.password.hash(wanted);
  if (account) await ctx.internalAdapter.updatePassword(existingAdmin.id, hash);
  else await ctx.internalAdapter.linkAccount({ userId: existingAdmin.id, providerId: 'credential', accountId: existingAdmin.id, password: hash });
  return { email, generatedPassword: null, created: false, passwordReset: true };
}

/** The lines the embedded start prints so a newcomer can sign in. */
export function signInInstructions(result: FirstAdminResult, baseUrl: string): string {
  const lines = [`  Sign in at ${baseUrl}/sign-in as ${result.email}`];
  if (result.generatedPassword) lines.push(`  with the generated password: ${result.generatedPassword}   (shown once; set ${ADMIN_PASSWORD_ENV} to choose it)`);
  else if (result.created || result.passwordReset) lines.push(`  with the password from ${ADMIN_PASSWORD_ENV}`);
  else lines.push(`  with the password printed at first start (restart with ${ADMIN_PASSWORD_ENV}=… to set a new one)`);
  return lines.join('\n');
}

/**
 * What the web server does at start: ensures the first admin over its own short-lived connection
 * (not the request handlers' shared handle, whose scoping belongs to the routes' bundle) and returns
 * the lines to print.
 */
export async function bootstrapFirstAdmin(env: Record<string, string | undefined> = process.env): Promise<string> {
  const url = env.DATABASE_URL?.trim();
  if (!url) throw new Error('DATABASE_URL is not set');
  const db = await openDatabase({ url, kind: env.SWITCHYARD_DATABASE_KIND === 'pglite' ? 'pglite' : 'postgres', applicationName: 'switchyard-web-start', poolMax: 1 });
  try {
    const result = await ensureFirstAdmin(db, env);
    const port = env.SWITCHYARD_PUBLIC_PORT ?? env.PORT ?? '3000';
    return signInInstructions(result, env.SWITCHYARD_PUBLIC_URL?.trim() || `http://localhost:${port}`);
  } finally {
    await db.close();
  }
}
