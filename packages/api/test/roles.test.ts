import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCaller, createContextInner, type SessionUser } from '../src/index';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { callPath, listProcedures, sampleInput } from './support/procedures';
import { memberOf, populateTenant, tenantFingerprint, type TenantEstate } from './support/two-tenants';

/** The only writes an operator may make: operating runs, never configuration. */
const OPERATOR_ACTIONS = new Set([
  'runs.trigger',
  'runs.replay',
  'runs.bulkReplay',
  'runs.cancel',
  'deadLetters.discard',
  'events.deliver',
  'approvals.decide',
  'statusOut.redeliver',
  'connections.test',
]);
/** Reads that are more than reading the tenant: user administration and platform-wide views. */
const ADMIN_ONLY_QUERIES = new Set(['users.members']);
const TENANT_ONBOARDING = new Set(['onboarding.catalog', 'onboarding.overview', 'onboarding.updateProfile', 'onboarding.updatePolicies']);
/** Onboarding creates tenants, so all of it but a live tenant's own overview and edits is the platform's. */
const isPlatformOnly = (path: string) =>
  path === 'dashboards.platform' || path === 'users.resetPassword' || (path.startsWith('onboarding.') && !TENANT_ONBOARDING.has(path));

const procedures = listProcedures(appRouter);

async function outcome(user: SessionUser | null, env: TestDatabase, slug: string, path: string, input: unknown): Promise<string> {
  try {
    await callPath(createCaller(createContextInner({ db: env.db, tenantSlug: slug, user })), path, input);
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe.skipIf(postgresUnavailable !== null)('roles are enforced by every procedure on the server', () => {
  let env: TestDatabase;
  let acme: TenantEstate;
  let viewer: SessionUser;
  let operator: SessionUser;
  let tenantAdmin: SessionUser;

  beforeAll(async () => {
    env = await createTestDatabase('api_roles');
    acme = await populateTenant(env, 'acme', 'Acme');
    viewer = await memberOf(env, acme.id, 'viewer', 'viewer@acme.test');
    operator = await memberOf(env, acme.id, 'operator', 'operator@acme.test');
    tenantAdmin = await memberOf(env, acme.id, 'tenant_admin', 'admin@acme.test');
  }, 120_000);
  afterAll(async () => {
    await env?.drop();
  });

  const own = () => ({ id: acme.ids.workflow!, slug: acme.slug, name: 'acme-ledger' });

  it('covers the whole router (a new procedure is checked without editing this test)', () => {
    expect(procedures.length).toBeGreaterThan(80);
    expect(procedures.filter((p) => p.type === 'mutation').length).toBeGreaterThan(30);
  });

  it('answers UNAUTHORIZED to every procedure without a signed-in user', async () => {
    const wrong: string[] = [];
    for (const p of procedures) {
      const got = await outcome(null, env, acme.slug, p.path, p.input ? sampleInput(p.input, own()) : undefined);
      if (got !== 'UNAUTHORIZED') wrong.push(`${p.path}: ${got}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets a viewer change nothing: every mutation is FORBIDDEN and the tenant is untouched', async () => {
    const before = await tenantFingerprint(env, acme.id);
    const wrong: string[] = [];
    for (const p of procedures.filter((q) => q.type === 'mutation')) {
      const got = await outcome(viewer, env, acme.slug, p.path, p.input ? sampleInput(p.input, own()) : undefined);
      if (got !== 'FORBIDDEN') wrong.push(`${p.path}: ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(await tenantFingerprint(env, acme.id)).toEqual(before);
  });

  it('lets a viewer read everything of the tenant except user administration and platform views', async () => {
    const wrong: string[] = [];
    for (const p of procedures.filter((q) => q.type === 'query')) {
      const got = await outcome(viewer, env, acme.slug, p.path, p.input ? sampleInput(p.input, own()) : undefined);
      const expectForbidden = ADMIN_ONLY_QUERIES.has(p.path) || isPlatformOnly(p.path);
      if (expectForbidden !== (got === 'FORBIDDEN')) wrong.push(`${p.path}: ${got}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets an operator operate runs but change no configuration', async () => {
    const before = await tenantFingerprint(env, acme.id);
    const wrong: string[] = [];
    for (const p of procedures.filter((q) => q.type === 'mutation' && !OPERATOR_ACTIONS.has(q.path))) {
      const got = await outcome(operator, env, acme.slug, p.path, p.input ? sampleInput(p.input, own()) : undefined);
      if (got !== 'FORBIDDEN') wrong.push(`${p.path}: ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(await tenantFingerprint(env, acme.id)).toEqual(before);

    // The operator's own actions pass the role check (and then do their work).
    for (const path of OPERATOR_ACTIONS) expect(procedures.some((p) => p.path === path), `${path} exists`).toBe(true);
    const call = (path: string, input: unknown) => outcome(operator, env, acme.slug, path, input);
    expect(await call('runs.trigger', { workflowId: acme.ids.workflow, payload: { by: 'operator' } })).toBe('OK');
    expect(await call('runs.replay', { id: acme.ids.deadRun })).toBe('OK');
    expect(await call('deadLetters.discard', { filter: {}, dryRun: false, reason: 'handled by hand' })).toBe('OK');
    expect(await call('runs.cancel', { id: acme.ids.run })).toBe('OK');
  });

  it('keeps platform procedures from tenant admins, and gives tenant admins their tenant', async () => {
    const wrong: string[] = [];
    for (const p of procedures.filter((q) => isPlatformOnly(q.path))) {
      const got = await outcome(tenantAdmin, env, acme.slug, p.path, p.input ? sampleInput(p.input, own()) : undefined);
      if (got !== 'FORBIDDEN') wrong.push(`${p.path}: ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(await outcome(tenantAdmin, env, acme.slug, 'workflows.create', { name: 'Made by the tenant admin' })).toBe('OK');
    expect(await outcome(tenantAdmin, env, acme.slug, 'users.setRole', { userId: viewer.id, role: 'operator' })).toBe('OK');
    expect(await outcome(tenantAdmin, env, acme.slug, 'users.setRole', { userId: viewer.id, role: 'viewer' })).toBe('OK');
  });
});
