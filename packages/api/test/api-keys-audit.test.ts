import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleRunStatusRequest, parseJsonSafely, stripDangerousKeys } from '../src/index';
import { callerFor, expectTrpcError, TEST_ACTOR } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph } from './support/graphs';

describe('parseJsonSafely', () => {
  it('drops __proto__, constructor and prototype keys at every depth, also when escaped', () => {
    const value = parseJsonSafely('{"a":{"__proto__":{"polluted":1},"b":[{"constructor":{"prototype":{"polluted":1}}}]},"\\u005f_proto__":{"polluted":2}}');
    expect(value).toEqual({ a: { b: [{}] } });
    expect(Object.assign({}, value, (value as { a: object }).a)).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(stripDangerousKeys(JSON.parse('{"x":{"__proto__":{"p":1},"y":2}}'))).toEqual({ x: { y: 2 } });
    expect(() => parseJsonSafely('{')).toThrow(SyntaxError);
  });
});

describe.skipIf(postgresUnavailable !== null)(`API keys and audit log on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase('api_keys_audit');
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('creates a key shown once, lists without it, stores only a hash', async () => {
    const a = callerFor(t.db, 'acme');
    const created = await a.apiKeys.create({ name: 'ci', scopes: ['runs:read', 'ingress'] });
    expect(created.key).toMatch(/^sy_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`sy_${created.prefix}_`)).toBe(true);
    const list = await a.apiKeys.list();
    expect(list).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(created.key.slice(16));
    expect(list[0]).not.toHaveProperty('keyHash');
    const { rows } = await t.db.pool.query('select * from api_keys');
    expect(JSON.stringify(rows)).not.toContain(created.key.slice(16));
    expect(await callerFor(t.db, 'globex').apiKeys.list()).toEqual([]);
    const audit = await a.audit.list({ entityType: 'api_key' });
    expect(audit.items[0]).toMatchObject({ action: 'api_key.create', actor: TEST_ACTOR, entityId: created.id });
    expect(JSON.stringify(audit)).not.toContain(created.key.slice(16));
  });

  it('reads run status with a runs:read key; refuses revoked, expired, wrong-scope and cross-tenant', async () => {
    const a = callerFor(t.db, 'acme');
    const { id } = await a.workflows.create({ name: 'Manual' });
    await a.workflows.saveDraft({ id, graph: manualGraph(), expectedRevision: 1 });
    await a.workflows.publish({ id });
    const { runId } = (await a.runs.trigger({ workflowId: id, payload: {} })) as { runId: string };

    const reader = await a.apiKeys.create({ name: 'reader', scopes: ['runs:read'] });
    const ok = await handleRunStatusRequest(t.db, { headers: { authorization: `Bearer ${reader.key}` }, runId });
    expect(ok).toMatchObject({ status: 200, body: { id: runId, status: expect.any(String) } });
    const used = await a.apiKeys.list();
    expect(used.find((k) => k.id === reader.id)!.lastUsedAt).toBeInstanceOf(Date);

    expect(await handleRunStatusRequest(t.db, { headers: {}, runId })).toMatchObject({ status: 401, body: { error: expect.stringContaining('missing') } });
    const ingressOnly = await a.apiKeys.create({ name: 'ingress', scopes: ['ingress'] });
    expect(await handleRunStatusRequest(t.db, { headers: { authorization: `Bearer ${ingressOnly.key}` }, runId })).toMatchObject({
      status: 403,
      body: { error: expect.stringContaining('runs:read') },
    });
    // Another tenant's key does not see acme's run.
    const globexKey = await callerFor(t.db, 'globex').apiKeys.create({ name: 'g', scopes: ['runs:read'] });
    expect((await handleRunStatusRequest(t.db, { headers: { authorization: `Bearer ${globexKey.key}` }, runId })).status).toBe(404);
    // A tampered secret with a real prefix is invalid.
    const tampered = `${reader.key.slice(0, -2)}${reader.key.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await handleRunStatusRequest(t.db, { headers: { authorization: `Bearer ${tampered}` }, runId })).status).toBe(401);

    await a.apiKeys.revoke({ id: reader.id });
    expect(await handleRunStatusRequest(t.db, { headers: { authorization: `Bearer ${reader.key}` }, runId })).toMatchObject({
      status: 401,
      body: { error: expect.stringContaining('revoked') },
    });
    // Another tenant cannot revoke acme's key.
    await expectTrpcError(callerFor(t.db, 'globex').apiKeys.revoke({ id: ingressOnly.id }), 'NOT_FOUND');

    const expiring = await a.apiKeys.create({ name: 'short', scopes: ['runs:read'], expiresAt: new Date(Date.now() + 60_000) });
    await t.db.pool.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [expiring.id]);
    expect(await handleRunStatusRequest(t.db, { headers: { authorization: `Bearer ${expiring.key}` }, runId })).toMatchObject({
      status: 401,
      body: { error: expect.stringContaining('expired') },
    });
    await expectTrpcError(a.apiKeys.create({ name: 'past', scopes: ['ingress'], expiresAt: new Date(Date.now() - 1000) }), 'BAD_REQUEST');
  });

  it('records workflow create, save and publish with summaries, and pages by keyset', async () => {
    const a = callerFor(t.db, 'acme');
    const { id } = await a.workflows.create({ name: 'Audited' });
    await a.workflows.saveDraft({ id, graph: manualGraph(), expectedRevision: 1 });
    const { versionId } = await a.workflows.publish({ id, note: 'go' });

    const entries = await a.audit.list({ entityType: 'workflow' });
    const mine = entries.items.filter((e) => e.entityId === id);
    expect(mine.map((e) => e.action)).toEqual(['workflow.publish', 'workflow.save_draft', 'workflow.create']);
    expect(mine[0]).toMatchObject({ actor: TEST_ACTOR, after: { activeVersionId: versionId, version: 1, note: 'go' } });
    expect(mine[1]!.after).toMatchObject({ revision: 2, nodes: { count: 2 } });
    // Summaries, not graphs: the transform expression is not in the log.
    expect(JSON.stringify(mine[1])).not.toContain('"expression"');
    expect(mine[2]).toMatchObject({ after: { name: 'Audited' } });

    const filtered = await a.audit.list({ action: 'workflow.publish' });
    expect(filtered.items.every((e) => e.action === 'workflow.publish')).toBe(true);

    const all: string[] = [];
    let cursor: { at: Date; id: string } | null = null;
    do {
      const page: Awaited<ReturnType<typeof a.audit.list>> = await a.audit.list({ limit: 2, cursor });
      all.push(...page.items.map((e) => e.id));
      cursor = page.next;
    } while (cursor);
    const everything = await a.audit.list({ limit: 200 });
    expect(all).toEqual(everything.items.map((e) => e.id));
    expect(new Set(all).size).toBe(all.length);
    // Tenant-scoped.
    expect((await callerFor(t.db, 'globex').audit.list({})).items.every((e) => e.action === 'api_key.create')).toBe(true);
  });
});
