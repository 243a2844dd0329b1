import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleWebhook } from '../src/index';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe.skipIf(postgresUnavailable !== null)(`W3C trace context at ingress on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('api_trace_context');
    await createTenant(t.db, 'acme', 'Acme');
    const a = callerFor(t.db, 'acme');
    const { id } = await a.workflows.create({ name: 'Traced' });
    await a.workflows.saveDraft({ id, graph: webhookGraph('traced'), expectedRevision: 1 });
    await a.workflows.publish({ id });
  });
  afterAll(async () => {
    await t?.drop();
  });

  const deliver = async (headers: Record<string, string>) => {
    const res = await handleWebhook(t.db, { tenantSlug: 'acme', path: 'traced', headers, rawBody: '{"n":1}' });
    expect(res.status).toBe(202);
    const { runId } = res.body as { runId: string };
    return (await t.db.pool.query<{ traceparent: string | null; correlation_id: string }>('SELECT traceparent, correlation_id FROM runs WHERE id = $1', [runId])).rows[0]!;
  };

  it('stores a valid traceparent with the run (its trace id is the correlation id unless one is given)', async () => {
    expect(await deliver({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` })).toEqual({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, correlation_id: TRACE_ID });
    expect(await deliver({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, 'x-correlation-id': 'order-7' })).toEqual({
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      correlation_id: 'order-7',
    });
  });

  it('stores none for a missing or invalid one', async () => {
    expect((await deliver({})).traceparent).toBeNull();
    expect((await deliver({ traceparent: '00-zz-00f067aa0ba902b7-01' })).traceparent).toBeNull();
  });
});
