import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey, openDatabase } from '@switchyard/db';
import { appRouter, authFor, createContext, createPasswordUser, getServerDatabase, healthCheck, healthHttpStatus } from '../src/index';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';

/** Through the fetch adapter, as apps/web's /api/trpc route calls it: header → context, error formatting. */
describe.skipIf(postgresUnavailable !== null)(`HTTP surface on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  const savedEnv = { url: process.env.DATABASE_URL, kind: process.env.SWITCHYARD_DATABASE_KIND, key: process.env.SWITCHYARD_SECRET_KEY };
  /** The session cookie of a tenant admin of acme, signed in through better-auth's own endpoint. */
  let cookie = '';

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    t = await createTestDatabase('api_http');
    const acme = await createTenant(t.db, 'acme', 'Acme');
    const user = await createPasswordUser(t.db, { email: 'ada@example.com', name: 'Ada Admin', password: 'correct horse battery' });
    await t.db.prisma.membership.create({ data: { userId: user.id, tenantId: acme.id, role: 'tenant_admin' } });
    const origin = 'http://localhost';
    const signIn = await authFor(t.db).handler(
      new Request(`${origin}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
      }),
    );
    cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    process.env.DATABASE_URL = t.db.url;
    delete process.env.SWITCHYARD_DATABASE_KIND;
  });
  afterAll(async () => {
    await (await getServerDatabase().catch(() => null))?.close();
    process.env.DATABASE_URL = savedEnv.url;
    process.env.SWITCHYARD_DATABASE_KIND = savedEnv.kind;
    if (savedEnv.key === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    else process.env.SWITCHYARD_SECRET_KEY = savedEnv.key;
    await t?.drop();
  });

  async function call(path: string, input: unknown, headers: Record<string, string> = {}, session: 'signed-in' | 'anonymous' = 'signed-in') {
    const req = new Request(`http://localhost/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(session === 'signed-in' ? { cookie } : {}), ...headers },
      body: JSON.stringify(superjson.serialize(input)),
    });
    const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext });
    const payload = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    const error = payload.error
      ? (superjson.deserialize(payload.error as Parameters<typeof superjson.deserialize>[0]) as {
          message: string;
          data: { code: string; graphIssues: unknown; fieldErrors: Record<string, string[]> | null };
        })
      : null;
    return { status: res.status, error, data: payload.result ? superjson.deserialize(payload.result.data as Parameters<typeof superjson.deserialize>[0]) : null };
  }

  it('answers 401 without a session', async () => {
    const anonymous = await call('workflows.create', { name: 'x' }, { 'x-switchyard-tenant': 'acme' }, 'anonymous');
    expect(anonymous.status).toBe(401);
  });

  it('reads the tenant from the x-switchyard-tenant header', async () => {
    const missing = await call('workflows.create', { name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.error?.message).toContain('x-switchyard-tenant');
    const created = await call('workflows.create', { name: 'Over HTTP' }, { 'x-switchyard-tenant': 'acme' });
    expect(created.status).toBe(200);
    expect(created.data).toEqual({ id: expect.any(String) });
  });

  it('puts zod field errors and conflicts in data.fieldErrors', async () => {
    const invalid = await call('workflows.create', { name: '', description: 5 }, { 'x-switchyard-tenant': 'acme' });
    expect(invalid.status).toBe(400);
    expect(invalid.error?.data.fieldErrors).toEqual({ name: ['must not be empty'], description: [expect.any(String)] });
    expect(invalid.error?.data.graphIssues).toBeNull();

    await call('workflows.create', { name: 'Twice' }, { 'x-switchyard-tenant': 'acme' });
    const dup = await call('workflows.create', { name: 'Twice' }, { 'x-switchyard-tenant': 'acme' });
    expect(dup.status).toBe(409);
    expect(dup.error?.data.fieldErrors).toEqual({ name: [expect.stringContaining('"Twice" already exists')] });
  });

  it('puts graph issues in data.graphIssues', async () => {
    const { data } = await call('workflows.create', { name: 'Graphy' }, { 'x-switchyard-tenant': 'acme' });
    const { id } = data as { id: string };
    const res = await call(
      'workflows.saveDraft',
      { id, graph: { schemaVersion: 1, nodes: [{ id: 'bad id!', kind: 'transform' }], edges: [], settings: {} }, expectedRevision: 1 },
      { 'x-switchyard-tenant': 'acme' },
    );
    expect(res.status).toBe(400);
    expect(res.error?.data.graphIssues).toEqual(
      expect.arrayContaining([expect.objectContaining({ nodeId: 'bad id!', path: 'nodes[0].id', code: 'invalid_schema' })]),
    );
    expect(res.error?.data.fieldErrors).toBeNull();
  });

  it('reports health, and 503 when the database is gone', async () => {
    const report = await healthCheck(await getServerDatabase());
    expect(report).toEqual({ status: 'ok', database: 'postgres' });
    expect(healthHttpStatus(report)).toBe(200);

    const closed = await openDatabase({ url: t.db.url, kind: 'pglite' });
    await closed.close();
    const down = await healthCheck(closed);
    expect(down).toMatchObject({ status: 'unavailable', database: 'pglite' });
    expect(healthHttpStatus(down)).toBe(503);
  });

  it('explains a missing or wrong database configuration', async () => {
    await expect(getServerDatabase({})).resolves.toBeDefined(); // cached from the first call
    const holder = globalThis as { __switchyardDatabase?: unknown };
    const cached = holder.__switchyardDatabase;
    holder.__switchyardDatabase = undefined;
    try {
      await expect(getServerDatabase({})).rejects.toThrow(/DATABASE_URL is not set/);
      await expect(getServerDatabase({ DATABASE_URL: t.db.url, SWITCHYARD_DATABASE_KIND: 'sqlite' })).rejects.toThrow(/SWITCHYARD_DATABASE_KIND/);
      await expect(getServerDatabase({ DATABASE_URL: 'mysql://x' })).rejects.toThrow(/PostgreSQL URL/);
      expect(holder.__switchyardDatabase).toBeUndefined();
    } finally {
      holder.__switchyardDatabase = cached;
    }
  });
});
