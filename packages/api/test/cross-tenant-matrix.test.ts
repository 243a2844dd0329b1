import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCaller, createContextInner, type SessionUser } from '../src/index';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { callPath, listProcedures, sampleInput, type ForeignValues } from './support/procedures';
import { memberOf, populateTenant, tenantFingerprint, type TenantEstate } from './support/two-tenants';

/**
 * The cross-tenant matrix: every procedure of the router (read from its definition, so new ones are
 * included without editing this file), called by a tenant admin of A — the strongest role short of
 * platform admin, so no role check hides a missing tenant check — once per identifier of tenant B
 * (and with B's slug and names), in the input and in the tenant header. Every call must be refused
 * or answer without any of B's data, and B's rows must be exactly as before.
 */
const REFUSALS = new Set(['NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST', 'UNAUTHORIZED']);

const procedures = listProcedures(appRouter);

interface Attempt {
  path: string;
  via: string;
  outcome: string;
  leaked: string[];
}

describe.skipIf(postgresUnavailable !== null)('cross-tenant matrix: a user of tenant A with the ids of tenant B', () => {
  let env: TestDatabase;
  let acme: TenantEstate;
  let globex: TenantEstate;
  let attacker: SessionUser;
  let globexUser: SessionUser;
  let before: Record<string, string>;
  const attempts: Attempt[] = [];

  /** Strings of B that must never appear in an answer to A (ids the caller sent are echoes, not leaks). */
  function leaksIn(result: unknown, sent: unknown): string[] {
    const text = JSON.stringify(result ?? null);
    const sentText = JSON.stringify(sent ?? null);
    const secrets = [...Object.values(globex.ids), globexUser.id, globexUser.email, ...globex.names];
    return secrets.filter((s) => text.includes(s) && !sentText.includes(s));
  }

  async function attempt(path: string, via: string, tenantSlug: string, input: unknown): Promise<void> {
    const caller = createCaller(createContextInner({ db: env.db, tenantSlug, user: attacker }));
    try {
      const result = await callPath(caller, path, input);
      attempts.push({ path, via, outcome: 'OK', leaked: leaksIn(result, input) });
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      // An error message must not describe B's object either.
      attempts.push({ path, via, outcome: error.code, leaked: leaksIn(error.message, input) });
    }
  }

  beforeAll(async () => {
    env = await createTestDatabase('api_cross_tenant');
    acme = await populateTenant(env, 'acme', 'Acme');
    globex = await populateTenant(env, 'globex', 'Globex');
    attacker = await memberOf(env, acme.id, 'tenant_admin', 'attacker@acme.test');
    globexUser = await memberOf(env, globex.id, 'viewer', 'someone@globex.test');
    before = await tenantFingerprint(env, globex.id);

    const foreign: ForeignValues[] = [...Object.values(globex.ids), globexUser.id].flatMap((id) =>
      globex.names.slice(0, 4).map((name, i) => ({ id, slug: globex.slug, name: i === 0 ? `${globex.slug}-ledger` : name })).slice(0, 1),
    );
    for (const p of procedures) {
      // 1. B's slug in the tenant header, with B's ids in the input.
      await attempt(p.path, 'header', globex.slug, p.input ? sampleInput(p.input, foreign[0]!) : undefined);
      // 2. A's own tenant in the header, each of B's ids (and B's slug and names) in the input.
      if (p.input) for (const values of foreign) await attempt(p.path, `input ${values.id}`, acme.slug, sampleInput(p.input, values));
    }
  }, 300_000);
  afterAll(async () => {
    await env?.drop();
  });

  it('calls every procedure, with B ids wherever the input takes one', () => {
    expect(new Set(attempts.map((a) => a.path)).size).toBe(procedures.length);
    expect(procedures.length).toBeGreaterThan(80);
  });

  it('answers B\'s tenant in the header with NOT_FOUND or FORBIDDEN (or with A\'s own data for tenant-less procedures)', () => {
    const wrong = attempts.filter((a) => a.via === 'header' && !(REFUSALS.has(a.outcome) || (a.outcome === 'OK' && a.leaked.length === 0)));
    expect(wrong.map((a) => `${a.path}: ${a.outcome} ${a.leaked.join(',')}`)).toEqual([]);
    // Tenant procedures refuse outright: only procedures that need no tenant may answer at all.
    const answered = attempts.filter((a) => a.via === 'header' && a.outcome === 'OK').map((a) => a.path);
    expect(answered.every((p) => ['tenants.list', 'users.me', 'onboarding.catalog'].includes(p)), answered.join(', ')).toBe(true);
  });

  it('never answers with B\'s data when B\'s ids, slug or names are in the input', () => {
    const leaks = attempts.filter((a) => a.leaked.length > 0);
    expect(leaks.map((a) => `${a.path} (${a.via}): ${a.outcome} leaked ${a.leaked.join(', ')}`)).toEqual([]);
  });

  it('refuses with NOT_FOUND, FORBIDDEN or BAD_REQUEST, never a status that reveals B\'s object exists', () => {
    // A CONFLICT is only fair against what the attacker made in A with an earlier call of the same
    // procedure (the same name twice); a first CONFLICT would mean B's object was seen.
    const createdEarlier = (a: Attempt) => attempts.slice(0, attempts.indexOf(a)).some((b) => b.path === a.path && b.outcome === 'OK');
    const odd = attempts.filter((a) => a.outcome !== 'OK' && !REFUSALS.has(a.outcome) && !(a.outcome === 'CONFLICT' && createdEarlier(a)));
    expect(odd.map((a) => `${a.path} (${a.via}): ${a.outcome}`)).toEqual([]);
  });

  it('reaches most handlers (the generated inputs are valid enough to test the tenant check, not just the schema)', () => {
    const byId = attempts.filter((a) => a.via.startsWith('input'));
    const pastValidation = byId.filter((a) => a.outcome !== 'BAD_REQUEST').length;
    expect(pastValidation / byId.length).toBeGreaterThan(0.6);
  });

  it('leaves every row of tenant B exactly as it was', async () => {
    expect(await tenantFingerprint(env, globex.id)).toEqual(before);
    const { rows } = await env.db.pool.query(`SELECT role FROM memberships WHERE user_id = $1`, [globexUser.id]);
    expect(rows).toEqual([{ role: 'viewer' }]);
  });
});
