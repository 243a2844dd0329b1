import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BC_SCOPE, DEMO_ESTATE, startAllSimulators, type Estate } from '../src/index';
import { at, call, form, jsonInit, netSuiteClient } from './helpers';

let estate: Estate;
const ADMIN = { 'x-admin-token': 'admin-1' };

beforeAll(async () => {
  estate = await startAllSimulators({ adminToken: 'admin-1' });
});
afterAll(() => estate.close());

describe('demo estate', () => {
  it('starts every simulator on its own loopback port', () => {
    const urls = Object.values(estate.urls);
    expect(urls).toHaveLength(6);
    expect(new Set(urls).size).toBe(6);
    for (const u of urls) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts the demo credentials on every simulator', async () => {
    const nsAccount = DEMO_ESTATE.netsuite.accounts[0];
    const ns = netSuiteClient(estate.urls.netsuite, nsAccount.accountId, nsAccount.credentials[0]);
    expect((await ns('GET', '/services/rest/record/v1/customer')).status).toBe(200);

    const bc = DEMO_ESTATE.businessCentral.tenants[0];
    const bcToken = await call(
      `${estate.urls.businessCentral}/${bc.tenantId}/oauth2/v2.0/token`,
      form({ grant_type: 'client_credentials', client_id: bc.clients[0].clientId, client_secret: bc.clients[0].clientSecret, scope: BC_SCOPE }),
    );
    const companies = await call(`${estate.urls.businessCentral}/v2.0/${bc.tenantId}/production/api/v2.0/companies`, {
      headers: { Authorization: `Bearer ${String(at(bcToken.body, 'access_token'))}` },
    });
    expect(at(companies.body, 'value', 0, 'name')).toBe(bc.companies[0].name);

    const sapUser = DEMO_ESTATE.sap.systems[0].users[0];
    const sap = await call(`${estate.urls.sap}/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder`, {
      headers: { Authorization: `Basic ${Buffer.from(`${sapUser.username}:${sapUser.password}`).toString('base64')}` },
    });
    expect(sap.status).toBe(200);

    const wd = DEMO_ESTATE.workday.tenants[0];
    const wdToken = await call(
      `${estate.urls.workday}/ccx/oauth2/${wd.tenant}/token`,
      form({
        grant_type: 'refresh_token',
        refresh_token: wd.clients[0].refreshTokens[0],
        client_id: wd.clients[0].clientId,
        client_secret: wd.clients[0].clientSecret,
      }),
    );
    const workers = await call(`${estate.urls.workday}/ccx/api/v1/${wd.tenant}/workers`, {
      headers: { Authorization: `Bearer ${String(at(wdToken.body, 'access_token'))}` },
    });
    expect(at(workers.body, 'total')).toBe(wd.workers.length);

    const bo = await call(`${estate.urls.backOffice}/crm/v1/accounts`, { headers: { 'X-API-Key': DEMO_ESTATE.backOffice.accounts[0].apiKeys[0] } });
    expect(bo.status).toBe(200);

    const fa = DEMO_ESTATE.oracleFusion.instances[0].users[0];
    const suppliers = await call(`${estate.urls.oracleFusion}/fscmRestApi/resources/11.13.18.05/suppliers?totalResults=true`, {
      headers: { Authorization: `Basic ${Buffer.from(`${fa.username}:${fa.password}`).toString('base64')}` },
    });
    expect(at(suppliers.body, 'totalResults')).toBe(DEMO_ESTATE.oracleFusion.instances[0].suppliers.length);
  });

  it('guards the admin API with the admin token and validates fault specs field by field', async () => {
    const url = `${estate.urls.backOffice}/__admin/faults`;
    expect((await call(url, jsonInit('POST', { account: 'demo-backoffice', rate429: 1 }))).status).toBe(401);
    const bad = await call(url, jsonInit('POST', { account: 'demo-backoffice', rate429: 3, latencyMs: { p50: 10 } }, ADMIN));
    expect(bad.status).toBe(400);
    expect((at(bad.body, 'issues') as Array<{ field: string }>).map((i) => i.field).sort()).toEqual(['latencyMs', 'rate429']);
    const unknownKnob = await call(url, jsonInit('POST', { account: 'demo-backoffice', explode: true }, ADMIN));
    expect(unknownKnob.status).toBe(400);
    expect((await call(url, jsonInit('POST', { account: 'demo-backoffice', rate429: 1, retryAfterSeconds: 9 }, ADMIN))).status).toBe(200);
    expect(at((await call(url, { headers: ADMIN })).body, 'faults', 0, 'retryAfterSeconds')).toBe(9);
    const throttled = await call(`${estate.urls.backOffice}/crm/v1/accounts`, { headers: { 'X-API-Key': DEMO_ESTATE.backOffice.accounts[0].apiKeys[0] } });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('9');
    expect((await call(`${url}?account=demo-backoffice`, { method: 'DELETE', headers: ADMIN })).status).toBe(200);
    expect(at((await call(url, { headers: ADMIN })).body, 'faults')).toEqual([]);
  });

  it('summarises records per account and resets everything', async () => {
    const key = { 'X-API-Key': DEMO_ESTATE.backOffice.accounts[0].apiKeys[0] };
    await call(`${estate.urls.backOffice}/crm/v1/accounts`, jsonInit('POST', { name: 'Acme' }, key));
    const summary = await call(`${estate.urls.backOffice}/__admin/records`, { headers: ADMIN });
    expect(at(summary.body, 'summary', 'demo-backoffice', 'accounts')).toBe(1);
    estate.reset();
    expect(estate.backOffice.records('accounts')).toHaveLength(0);
    // Workday's seeded workers come back after a reset.
    expect(estate.workday.records('workers')).toHaveLength(DEMO_ESTATE.workday.tenants[0].workers.length);
  });
});
