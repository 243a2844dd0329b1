import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorkdaySim, type SimHandle } from '../src/index';
import { at, call, form, jsonInit } from './helpers';

const TENANT = 'acme_test';
let now = Date.parse('2026-03-01T10:00:00Z');
let sim: SimHandle;
let access: string;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function refresh(refreshToken = 'rt-1', secret = 'wd-secret') {
  return call(`${sim.url}/ccx/oauth2/${TENANT}/token`, {
    ...form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic('wd-client', secret) },
  });
}
const api = (path: string) => `${sim.url}/ccx/api/v1/${TENANT}${path}`;
const fin = (path: string) => `${sim.url}/ccx/api/financialManagement/v1/${TENANT}${path}`;
const bearer = () => ({ Authorization: `Bearer ${access}` });

beforeAll(async () => {
  const workers = Array.from({ length: 25 }, (_, i) => ({
    id: `w${String(i + 1).padStart(31, '0')}`,
    descriptor: `Worker ${i + 1}`,
    employeeId: String(21000 + i),
  }));
  sim = await startWorkdaySim({
    tenants: [{ tenant: TENANT, clients: [{ clientId: 'wd-client', clientSecret: 'wd-secret', refreshTokens: ['rt-1'] }], workers }],
    clock: () => now,
    accessTokenTtlSeconds: 30,
  });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  access = String(at((await refresh()).body, 'access_token'));
});

describe('OAuth 2.0 refresh-token grant', () => {
  it('exchanges a refresh token for a short-lived access token and rejects bad ones', async () => {
    const ok = await refresh();
    expect(ok.body).toMatchObject({ token_type: 'Bearer', refresh_token: 'rt-1', expires_in: 30 });
    expect((await refresh('rt-unknown')).body).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    const badClient = await refresh('rt-1', 'wrong');
    expect(badClient.status).toBe(401);
    expect(at(badClient.body, 'error')).toBe('invalid_client');
    const grant = await call(
      `${sim.url}/ccx/oauth2/${TENANT}/token`,
      form({ grant_type: 'client_credentials', client_id: 'wd-client', client_secret: 'wd-secret' }),
    );
    expect(at(grant.body, 'error')).toBe('unsupported_grant_type');
  });

  it('expires access tokens; a refresh gets a working one again', async () => {
    expect((await call(api('/workers'), { headers: bearer() })).status).toBe(200);
    now += 31_000;
    const expired = await call(api('/workers'), { headers: bearer() });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
    access = String(at((await refresh()).body, 'access_token'));
    expect((await call(api('/workers'), { headers: bearer() })).status).toBe(200);
    expect((await call(`${sim.url}/ccx/api/v1/other_tenant/workers`, { headers: bearer() })).status).toBe(401);
  });
});

describe('workers and cost allocations', () => {
  it('lists workers with limit/offset and total, and gets one', async () => {
    const page = await call(api('/workers?limit=10&offset=20'), { headers: bearer() });
    expect(at(page.body, 'total')).toBe(25);
    expect((at(page.body, 'data') as unknown[]).length).toBe(5);
    expect(at(page.body, 'data', 0, 'descriptor')).toBe('Worker 21');
    const defaults = await call(api('/workers'), { headers: bearer() });
    expect((at(defaults.body, 'data') as unknown[]).length).toBe(20);
    const bad = await call(api('/workers?limit=500'), { headers: bearer() });
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'errors', 0, 'field')).toBe('limit');
    const one = await call(api(`/workers/w${'1'.padStart(31, '0')}`), { headers: bearer() });
    expect(at(one.body, 'href')).toBe(api(`/workers/w${'1'.padStart(31, '0')}`));
    const missing = await call(api('/workers/nope'), { headers: bearer() });
    expect(missing.status).toBe(404);
    expect(at(missing.body, 'errors', 0, 'location')).toBe('path.ID');
  });

  it('assigns effective-dated cost allocations, replacing the same date instead of duplicating', async () => {
    const worker = `w${'2'.padStart(31, '0')}`;
    const body = {
      effectiveDate: '2026-03-01',
      costingAllocationDetails: [
        { costCenter: { id: 'CC100' }, percent: 60 },
        { costCenter: { id: 'CC200' }, percent: 40 },
      ],
    };
    const first = await call(api(`/workers/${worker}/costAllocations`), jsonInit('POST', body, bearer()));
    expect(first.status).toBe(201);
    const again = await call(
      api(`/workers/${worker}/costAllocations`),
      jsonInit('POST', { ...body, costingAllocationDetails: [{ costCenter: { id: 'CC100' }, percent: 100 }] }, bearer()),
    );
    expect(again.status).toBe(200);
    expect(sim.records('costAllocations', TENANT)).toHaveLength(1);
    const bad = await call(
      api(`/workers/${worker}/costAllocations`),
      jsonInit('POST', { ...body, costingAllocationDetails: [{ costCenter: { id: 'CC1' }, percent: 50 }] }, bearer()),
    );
    expect(at(bad.body, 'errors', 0)).toMatchObject({ field: 'percent' });
    const missing = await call(api(`/workers/${worker}/costAllocations`), jsonInit('POST', { costingAllocationDetails: [] }, bearer()));
    expect(missing.status).toBe(400);
    const fields = (at(missing.body, 'errors') as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(['effectiveDate', 'costingAllocationDetails']);
    expect(at(missing.body, 'errors', 0, 'error')).toBe('Required field is missing: effectiveDate');
  });
});

describe('accounting journals', () => {
  const journal = (ext: string, credit = 250) => ({
    externalReferenceId: ext,
    company: { id: 'ACME_US' },
    accountingDate: '2026-02-28',
    currency: { id: 'USD' },
    journalEntryLines: [
      { ledgerAccount: { id: '6000' }, debitAmount: 250 },
      { ledgerAccount: { id: '1000' }, creditAmount: credit },
    ],
  });

  it('creates balanced journals, refuses unbalanced ones and duplicate external references', async () => {
    const created = await call(fin('/accountingJournals'), jsonInit('POST', journal('PAY-2026-02'), bearer()));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ journalNumber: 'JE-10001', status: 'Posted', totalDebitAmount: 250 });
    const unbalanced = await call(fin('/accountingJournals'), jsonInit('POST', journal('PAY-X', 200), bearer()));
    expect(at(unbalanced.body, 'errors', 0, 'field')).toBe('journalEntryLines');
    const dup = await call(fin('/accountingJournals'), jsonInit('POST', journal('PAY-2026-02'), bearer()));
    expect(at(dup.body, 'errors', 0, 'field')).toBe('externalReferenceId');
    const byRef = await call(fin('/accountingJournals?externalReferenceId=PAY-2026-02'), { headers: bearer() });
    expect(at(byRef.body, 'total')).toBe(1);
    const noCompany = await call(fin('/accountingJournals'), jsonInit('POST', { ...journal('PAY-Y'), company: undefined }, bearer()));
    expect(at(noCompany.body, 'errors', 0)).toMatchObject({ field: 'company', location: 'body.company' });
    expect(sim.records('accountingJournals', TENANT)).toHaveLength(1);
  });

  it('injects throttling and errors per tenant, and reset restores the seeded workers', async () => {
    sim.setFaults({ account: TENANT, rate429: 1 });
    const r = await call(api('/workers'), { headers: bearer() });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(at(r.body, 'error')).toContain('Too many requests');
    sim.reset();
    expect(sim.records('workers', TENANT)).toHaveLength(25);
    expect((await call(api('/workers'), { headers: bearer() })).status).toBe(200);
  });
});
