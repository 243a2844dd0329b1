import { createHmac } from 'node:crypto';
import { betterAuth } from 'better-auth';
import type { Pool } from 'pg';

/**
 * Sign-in is better-auth (email + password, scrypt hashes, sessions in the database) over the same
 * pg Pool as everything else, on PostgreSQL or the embedded PGlite's wire server. Its tables are
 * ours in prisma/schema.prisma (users, sessions, auth_accounts, auth_verifications), so the field
 * names are mapped to the snake_case columns. Self sign-up is off: admins create users.
 */
export const SESSION_COOKIE_PREFIX = 'switchyard';

export function createAuth(options: { pool: Pool; secret: string; baseURL: string | { allowedHosts: string[]; fallback: string } }) {
  const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;
  return betterAuth({
    appName: 'Switchyard',
    database: options.pool,
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 128 },
    user: {
      modelName: 'users',
      fields: { emailVerified: 'email_verified', ...timestamps },
      additionalFields: {
        // Only a platform admin (or the first-admin bootstrap) sets this; `input: false` keeps it out of
        // every request body better-auth accepts.
        platformAdmin: { type: 'boolean', required: false, defaultValue: false, input: false, fieldName: 'platform_admin' },
      },
    },
    session: {
      modelName: 'sessions',
      fields: { userId: 'user_id', expiresAt: 'expires_at', ipAddress: 'ip_address', userAgent: 'user_agent', ...timestamps },
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    account: {
      modelName: 'auth_accounts',
      fields: {
        userId: 'user_id',
        accountId: 'account_id',
        providerId: 'provider_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        ...timestamps,
      },
    },
    verification: { modelName: 'auth_verifications', fields: { expiresAt: 'expires_at', ...timestamps } },
    // The session cookie is `switchyard.session_token` (httpOnly, SameSite=Lax, Secure on https).
    advanced: { database: { generateId: 'uuid' }, cookiePrefix: SESSION_COOKIE_PREFIX },
    // Sign-in attempts per client address; generous enough for a team behind one NAT, tight enough to
    // make password guessing slow.
    rateLimit: { enabled: true, window: 60, max: 300, customRules: { '/sign-in/email': { window: 60, max: 20 } } },
    telemetry: { enabled: false },
  });
}

export type SwitchyardAuth = ReturnType<typeof createAuth>;

/**
 * The session-signing secret is derived from the estate's secret key (SWITCHYARD_SECRET_KEY or the
 * embedded key file), so there is no second secret to configure; a different label keeps it
 * independent of the credential-encryption use of the same key.
 */
export function sessionSecretFrom(key: Buffer): string {
  return createHmac('sha256', key).update('switchyard-session-signing-v1').digest('base64url');
}
