import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey } from '@switchyard/db';
import { authFor, createCaller, createContextInner, createPasswordUser, ensureFirstAdmin, mayReadMetrics, sessionUserOf } from '../src/index';
import { createTestDatabase, createTenant, postgresUnavailable, type TestDatabase } from './support/database';
import { expectTrpcError } from './support/callers';

/**
 * Sign-in end to end below the browser: better-auth's HTTP handler on the real tables (PostgreSQL),
 * the session cookie it sets, and the tRPC context that reads the user back from that cookie.
 */
describe.skipIf(postgresUnavailable)('sign-in with email and password', () => {
  let env: TestDatabase;
  const savedKey = process.env.SWITCHYARD_SECRET_KEY;
  const origin = 'http://127.0.0.1:3120';

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    env = await createTestDatabase('sign_in');
    const acme = await createTenant(env.db, 'acme', 'Acme');
    const user = await createPasswordUser(env.db, { email: 'Vera@Example.com', name: 'Vera Viewer', password: 'correct horse battery' });
    await env.db.prisma.membership.create({ data: { userId: user.id, tenantId: acme.id, role: 'viewer' } });
  });
  afterAll(async () => {
    await env?.drop();
    process.env.SWITCHYARD_SECRET_KEY = savedKey;
  });

  const envDb = () => env.db;
  const signIn = (email: string, password: string) =>
    authFor(env.db).handler(
      new Request(`${origin}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email, password }),
      }),
    );

  it('refuses a wrong password without a session and without saying which part was wrong', async () => {
    const res = await signIn('vera@example.com', 'wrong password!!');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/session_token=[^;]+/);
    const unknown = await signIn('nobody@example.com', 'wrong password!!');
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { message: string }).message).toBe(((await res.json()) as { message: string }).message);
  });

  it('signs in, stores the session in the database and names the user to tRPC', async () => {
    const res = await signIn('vera@example.com', 'correct horse battery');
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/session_token=/);
    expect(await env.db.prisma.session.count()).toBe(1);

    const req = new Request(`${origin}/api/trpc/users.me`, { headers: { cookie, 'x-switchyard-tenant': 'acme' } });
    const ctx = await createContextWith(env, req);
    expect(ctx.user).toMatchObject({ email: 'vera@example.com', name: 'Vera Viewer', platformAdmin: false });
    const me = await createCaller(ctx).users.me();
    expect(me.memberships).toEqual([{ slug: 'acme', name: 'Acme', role: 'viewer' }]);
    // A viewer reads, but cannot change configuration.
    await expect(createCaller(ctx).workflows.list()).resolves.toEqual([]);
    await expectTrpcError(createCaller(ctx).workflows.create({ name: 'Nope' }), 'FORBIDDEN');

    // After sign-out the same cookie names nobody.
    const out = await authFor(env.db).handler(new Request(`${origin}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin } }));
    expect(out.status).toBe(200);
    const after = await createContextWith(env, req);
    expect(after.user).toBeNull();
    await expectTrpcError(createCaller(after).workflows.list(), 'UNAUTHORIZED');
  });

  it('creates the first platform admin once, from the environment or with a generated password', async () => {
    const first = await ensureFirstAdmin(env.db, { SWITCHYARD_ADMIN_EMAIL: 'Root@Example.com' });
    expect(first).toMatchObject({ email: 'root@example.com', created: true });
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await signIn('root@example.com', first.generatedPassword!)).status).toBe(200);

    const again = await ensureFirstAdmin(env.db, { SWITCHYARD_ADMIN_EMAIL: 'root@example.com' });
    expect(again).toMatchObject({ created: false, generatedPassword: null, passwordReset: false });
    // A lost password is recovered by restarting with SWITCHYARD_ADMIN_PASSWORD.
    const reset = await ensureFirstAdmin(env.db, { SWITCHYARD_ADMIN_EMAIL: 'root@example.com', SWITCHYARD_ADMIN_PASSWORD: 'a brand new passphrase' });
    expect(reset.passwordReset).toBe(true);
    expect((await signIn('root@example.com', first.generatedPassword!)).status).toBe(401);
    expect((await signIn('root@example.com', 'a brand new passphrase')).status).toBe(200);
    await expect(ensureFirstAdmin(env.db, { SWITCHYARD_ADMIN_PASSWORD: 'short' })).rejects.toThrow(/at least 10 characters/);
  });

  it('lets only a scraper with the metrics token or a platform admin read /api/metrics', async () => {
    const vars = { SWITCHYARD_METRICS_TOKEN: 'scrape-token-0123456789' };
    expect(await mayReadMetrics(envDb(), new Headers({ authorization: 'Bearer scrape-token-0123456789' }), vars)).toBe(true);
    expect(await mayReadMetrics(envDb(), new Headers({ authorization: 'Bearer wrong' }), vars)).toBe(false);
    expect(await mayReadMetrics(envDb(), new Headers(), vars)).toBe(false);
    const viewerCookie = (await signIn('vera@example.com', 'correct horse battery')).headers.get('set-cookie')!.split(';')[0]!;
    expect(await mayReadMetrics(envDb(), new Headers({ cookie: viewerCookie }), {})).toBe(false);
    await ensureFirstAdmin(envDb(), { SWITCHYARD_ADMIN_EMAIL: 'root@example.com', SWITCHYARD_ADMIN_PASSWORD: 'a brand new passphrase' });
    const adminCookie = (await signIn('root@example.com', 'a brand new passphrase')).headers.get('set-cookie')!.split(';')[0]!;
    expect(await mayReadMetrics(envDb(), new Headers({ cookie: adminCookie }), {})).toBe(true);
  });

  it('does not let anyone sign up on their own', async () => {
    const res = await authFor(env.db).handler(
      new Request(`${origin}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: 'mallory@example.com', password: 'let me in please', name: 'Mallory' }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await env.db.prisma.user.count({ where: { email: 'mallory@example.com' } })).toBe(0);
  });
});

/** What createContext does for /api/trpc, on the database under test instead of the process's. */
async function createContextWith(env: TestDatabase, req: Request) {
  return createContextInner({ db: env.db, tenantSlug: req.headers.get('x-switchyard-tenant'), user: await sessionUserOf(env.db, req.headers) });
}
