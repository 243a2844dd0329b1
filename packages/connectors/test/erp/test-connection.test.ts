import type { Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withConnections, createErpExecutors } from '../../src/erp/executors';
import { testConnection } from '../../src/erp/test-connection';
import { createOutboundFetch } from '../../src/http/outbound/outbound-fetch';
import { unusedPort } from '../helpers';
import { budget, demoConnections, loopbackFetch, startEstate } from './support';
import { makeCtx } from '../helpers';

let estate: Estate;
const outbound = loopbackFetch();
const strict = createOutboundFetch({ allowlist: '' });

beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await outbound.close();
  await strict.close();
  await estate.close();
});

describe('testConnection', () => {
  it('reports ok for each demo connection', async () => {
    for (const connection of Object.values(demoConnections(estate))) {
      const result = await testConnection(connection, { fetch: outbound });
      expect(result, connection.name).toMatchObject({ ok: true, outcome: 'ok' });
      expect(result.message).toMatch(/accepted the credentials/);
    }
  });

  it("says the client secret is wrong in the ERP's words, without the secret", async () => {
    const bc = demoConnections(estate)['business-central']!;
    const planted = 'planted-wrong-secret-31415';
    const result = await testConnection({ ...bc, credentials: { ...bc.credentials, clientSecret: planted } }, { fetch: outbound });
    expect(result).toMatchObject({ ok: false, outcome: 'auth_failed', status: 401 });
    expect(result.message).toContain('Dynamics 365 Business Central refused the credentials');
    expect(result.message).toContain('AADSTS7000215: Invalid client secret provided');
    expect(result.message).not.toContain(planted);

    const wrongClient = await testConnection({ ...bc, credentials: { ...bc.credentials, clientId: 'no-such-app' } }, { fetch: outbound });
    expect(wrongClient).toMatchObject({ outcome: 'auth_failed', status: 400 });
    // Client ids live with the credentials, so they are redacted like the secret.
    expect(wrongClient.message).toContain("unauthorized_client: AADSTS700016: Application with identifier '[redacted]' was not found");
  });

  it('tells an unreachable system from refused credentials', async () => {
    const port = await unusedPort();
    const result = await testConnection({ ...demoConnections(estate).netsuite!, baseUrl: `http://127.0.0.1:${port}` }, { fetch: outbound });
    expect(result).toMatchObject({ ok: false, outcome: 'unreachable' });
    expect(result.message).toContain('connection refused (ECONNREFUSED)');
  });

  it('reports a destination the outbound policy blocks', async () => {
    const result = await testConnection(demoConnections(estate).workday!, { fetch: strict });
    expect(result).toMatchObject({ ok: false, outcome: 'blocked' });
    expect(result.message).toContain('refused to connect to 127.0.0.1: it is a loopback address');
  });

  it('names the missing field of an incomplete connection', async () => {
    const sap = demoConnections(estate).sap!;
    const result = await testConnection({ ...sap, config: { authMethod: 'oauth2' } }, { fetch: outbound });
    expect(result).toMatchObject({ outcome: 'invalid' });
    expect(result.message).toBe('the connection is incomplete: credentials.clientId is required for oauth2 authentication; credentials.clientSecret is required for oauth2 authentication');
  });
});

describe('withConnections', () => {
  it("binds each step to its own tenant's connections", async () => {
    const seen: string[] = [];
    const executors = withConnections(createErpExecutors({ fetch: outbound, budget }), (tenantId) => ({
      get: (key) => {
        seen.push(`${tenantId}/${key}`);
        return Promise.resolve(null);
      },
    }));
    // A context that brings its own resolver is not trusted: the tenant's resolver replaces it.
    const ctx = makeCtx({ tenantId: 'tenant-a', connections: { get: () => Promise.resolve(demoConnections(estate).netsuite!) } });
    await expect(executors['netsuite.record']!(ctx, { connectionId: 'netsuite', operation: 'get', recordType: 'customer', idPath: '"1"' }, {})).rejects.toMatchObject({
      code: 'connection_not_found',
    });
    expect(seen).toEqual(['tenant-a/netsuite']);
  });
});
