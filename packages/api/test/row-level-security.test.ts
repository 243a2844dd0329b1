import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@switchyard/db';
import { handleRunStatusRequest, handleWebhook, renderMetrics, type SessionUser } from '../src/index';
import { router, tenantProcedure } from '../src/trpc';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

/**
 * The API on a production-like connection: the app role with no fallback scope, so a statement the
 * procedures issue outside the scope their builder opens would see nothing and fail these tests.
 */
describe.skipIf(postgresUnavailable !== null)(`API under row-level security${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let app: Database;
  let acme: { id: string };
  let globex: { id: string };
  let member: SessionUser;

  beforeAll(async () => {
    t = await createTestDatabase('api_rls');
    app = await openDatabase({ url: t.db.url, kind: 'postgres', poolMax: 2, role: 'app' });
    acme = await createTenant(t.db, 'acme', 'Acme');
    globex = await createTenant(t.db, 'globex', 'Globex');
    const user = await t.db.prisma.user.create({ data: { email: 'viewer@acme.test', name: 'Acme viewer' }, select: { id: true } });
    await t.db.prisma.membership.create({ data: { userId: user.id, tenantId: acme.id, role: 'viewer' } });
    member = { id: user.id, email: 'viewer@acme.test', name: 'Acme viewer', platformAdmin: false };
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('runs tenant procedures in their tenant: each sees and creates its own workflows only', async () => {
    const a = callerFor(app, 'acme');
    const b = callerFor(app, 'globex');
    const { id: acmeFlow } = await a.workflows.create({ name: 'Invoice sync' });
    await b.workflows.create({ name: 'Order sync' });
    expect((await a.workflows.list()).map((w) => w.name)).toEqual(['Invoice sync']);
    expect((await b.workflows.list()).map((w) => w.name)).toEqual(['Order sync']);
    await expectTrpcError(b.workflows.get({ id: acmeFlow }), 'NOT_FOUND');
  });

  it('contains a handler that forgets its tenant filter', async () => {
    // A deliberately careless procedure: no WHERE tenant_id at all.
    const careless = router({ everyWorkflow: tenantProcedure.query(({ ctx }) => ctx.db.prisma.workflow.findMany({ select: { tenantId: true } })) });
    const call = (slug: string) => careless.createCaller({ db: app, tenantSlug: slug, user: callerUser() }).everyWorkflow();
    expect((await call('acme')).map((w) => w.tenantId)).toEqual([acme.id]);
    expect((await call('globex')).map((w) => w.tenantId)).toEqual([globex.id]);
    // The same statement outside any scope sees nothing at all.
    expect(await app.prisma.workflow.findMany()).toEqual([]);
  });

  it('lists a member their own tenants across tenants, and a platform admin every tenant', async () => {
    expect((await callerFor(app, null, member).tenants.list()).map((x) => [x.slug, x.role])).toEqual([['acme', 'viewer']]);
    expect((await callerFor(app, null, member).users.me()).memberships.map((m) => m.slug)).toEqual(['acme']);
    await expectTrpcError(callerFor(app, 'globex', member).workflows.list(), 'NOT_FOUND');
    expect((await callerFor(app, 'acme', member).workflows.list()).map((w) => w.name)).toEqual(['Invoice sync']);
    expect((await callerFor(app, null).tenants.list()).map((x) => x.slug)).toEqual(['acme', 'globex']);
  });
  it('takes a webhook delivery and answers REST status in the tenant named by URL or API key', async () => {
    const a = callerFor(app, 'acme');
    const { id } = await a.workflows.create({ name: 'Orders' });
    await a.workflows.saveDraft({ id, graph: webhookGraph('orders'), expectedRevision: 1 });
    await a.workflows.publish({ id });
    const post = (tenantSlug: string) =>
      handleWebhook(app, { tenantSlug, path: 'orders', headers: { 'content-type': 'application/json' }, rawBody: '{"order":1}' });
    const accepted = await post('acme');
    expect(accepted.status).toBe(202);
    const runId = (accepted.body as { runId: string }).runId;
    expect((await post('globex')).status).toBe(404);
    expect(await t.db.prisma.run.count({ where: { tenantId: acme.id } })).toBe(1);

    const acmeKey = await a.apiKeys.create({ name: 'reader', scopes: ['runs:read'] });
    const globexKey = await callerFor(app, 'globex').apiKeys.create({ name: 'reader', scopes: ['runs:read'] });
    const read = (key: string) => handleRunStatusRequest(app, { headers: { authorization: `Bearer ${key}` }, runId });
    expect(await read(acmeKey.key)).toMatchObject({ status: 200, body: { id: runId } });
    expect(await read(globexKey.key)).toMatchObject({ status: 404 });
    const touched = await t.db.prisma.apiKey.findMany({ where: { name: 'reader' }, select: { tenantId: true, lastUsedAt: true } });
    expect(touched.every((k) => k.lastUsedAt !== null)).toBe(true);
    // The scrape reports over all tenants from the platform scope.
    expect((await renderMetrics(app)).body).toMatch(/switchyard_runs_recent\{tenant="acme",status="queued"\} 1/);
  });
});

function callerUser(): SessionUser {
  return { id: '00000000-0000-4000-8000-00000000a11a', email: 'platform-admin@test.local', name: 'Test platform admin', platformAdmin: true };
}
