import { DEMO_ESTATE, startAllSimulators, type Estate } from '@switchyard/erp-sim';
import { generateSecretKey } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';

const PLANTED = 'planted-client-secret-8b7c6d5e';
let env: TestDatabase;
let estate: Estate;
const saved = { key: process.env.SWITCHYARD_SECRET_KEY, allow: process.env.SWITCHYARD_OUTBOUND_ALLOWLIST };
const bc = DEMO_ESTATE.businessCentral.tenants[0];

/** Every response and error of this file, to search for the planted secret at the end. */
const seen: string[] = [];
const record = <T>(value: T): T => {
  seen.push(JSON.stringify(value));
  return value;
};

describe.skipIf(Boolean(postgresUnavailable))('connections router', () => {
  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    // The simulators listen on loopback, which the platform allowlist must open for the test procedure.
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = '127.0.0.1';
    env = await createTestDatabase('api_connections');
    await createTenant(env.db, 'acme', 'Acme');
    await createTenant(env.db, 'globex', 'Globex');
    estate = await startAllSimulators({ host: '127.0.0.1' });
  });
  afterAll(async () => {
    await estate?.close();
    await env?.drop();
    process.env.SWITCHYARD_SECRET_KEY = saved.key;
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = saved.allow;
    if (saved.key === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    if (saved.allow === undefined) delete process.env.SWITCHYARD_OUTBOUND_ALLOWLIST;
  });

  const bcInput = () => ({
    name: 'Business Central',
    system: 'business-central' as const,
    baseUrl: estate.urls.businessCentral,
    config: { tenantId: bc.tenantId, companyId: bc.companies[0].id, authorityUrl: estate.urls.businessCentral },
    credentials: { clientId: bc.clients[0].clientId, clientSecret: PLANTED },
  });

  it('creates, lists and reads connections without ever returning a credential', async () => {
    const acme = callerFor(env.db, 'acme');
    const created = record(await acme.connections.create(bcInput()));
    expect(created).toMatchObject({ name: 'Business Central', system: 'business-central', credentialFields: ['clientId', 'clientSecret'], config: { environment: 'production' } });
    expect(record(await acme.connections.list())).toHaveLength(1);
    expect(record(await acme.connections.get({ id: created.id }))).toMatchObject({ id: created.id });
    record(await acme.connections.systems());
    const other = callerFor(env.db, 'globex');
    expect(await other.connections.list()).toEqual([]);
    record(await expectTrpcError(other.connections.get({ id: created.id }), 'NOT_FOUND'));
    const duplicate = await expectTrpcError(acme.connections.create(bcInput()), 'CONFLICT');
    record(duplicate);
    expect(duplicate.message).toBe('name: a connection named "Business Central" already exists in this tenant');
  });

  it('names each missing or wrong field and never echoes values', async () => {
    const acme = callerFor(env.db, 'acme');
    const err = await expectTrpcError(
      acme.connections.create({ name: 'ns', system: 'netsuite', baseUrl: 'ftp://x', config: {}, credentials: { consumerKey: PLANTED, bogus: PLANTED } }),
      'BAD_REQUEST',
    );
    record(err);
    expect(err.message).toContain('baseUrl must use http or https');
    expect(err.message).toContain('config.accountId is required');
    expect(err.message).toContain('credentials.consumerSecret is required');
    expect(err.message).toContain('credentials unknown field(s): bogus');
    expect(err.message).not.toContain(PLANTED);
  });

  it("tests a connection and reports the ERP's answer: wrong secret, then ok after the secret is fixed", async () => {
    const acme = callerFor(env.db, 'acme');
    const [connection] = await acme.connections.list();
    const wrong = record(await acme.connections.test({ id: connection!.id }));
    expect(wrong).toMatchObject({ ok: false, outcome: 'auth_failed', status: 401 });
    expect(wrong.message).toContain('AADSTS7000215: Invalid client secret provided');

    const fixed = record(await acme.connections.update({ id: connection!.id, credentials: { clientSecret: bc.clients[0].clientSecret } }));
    expect(fixed.credentialFields).toEqual(['clientId', 'clientSecret']);
    expect(record(await acme.connections.test({ id: connection!.id }))).toMatchObject({ ok: true, outcome: 'ok' });

    const unreachable = record(await acme.connections.test({ draft: { ...bcInput(), baseUrl: 'http://127.0.0.1:9', config: { ...bcInput().config, authorityUrl: 'http://127.0.0.1:9' } } }));
    expect(unreachable).toMatchObject({ ok: false, outcome: 'unreachable' });
  });

  it('refuses to test against internal addresses that are not allowlisted', async () => {
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = '';
    try {
      const result = record(await callerFor(env.db, 'acme').connections.test({ draft: { ...bcInput(), credentials: { clientId: 'x', clientSecret: PLANTED } } }));
      expect(result).toMatchObject({ ok: false, outcome: 'blocked' });
    } finally {
      process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = '127.0.0.1';
    }
  });

  it('updates only the credential fields given, removes fields set to null, and deletes', async () => {
    const acme = callerFor(env.db, 'acme');
    const sap = record(
      await acme.connections.create({
        name: 'sap',
        system: 'sap',
        baseUrl: estate.urls.sap,
        config: { authMethod: 'basic' },
        credentials: { username: 'DEMO_COMM_USER', password: PLANTED },
      }),
    );
    const switched = await expectTrpcError(acme.connections.update({ id: sap.id, config: { authMethod: 'oauth2' } }), 'BAD_REQUEST');
    record(switched);
    expect(switched.message).toContain('credentials.clientId is required for oauth2 authentication');
    const oauth = record(
      await acme.connections.update({
        id: sap.id,
        config: { authMethod: 'oauth2' },
        credentials: { username: null, password: null, clientId: 'demo-sap-client-1', clientSecret: 'demo-sap-secret-1' },
      }),
    );
    expect(oauth.credentialFields).toEqual(['clientId', 'clientSecret']);
    expect(record(await acme.connections.test({ id: sap.id }))).toMatchObject({ ok: true });
    expect(record(await acme.connections.delete({ id: sap.id }))).toEqual({ id: sap.id, deleted: true });
    record(await expectTrpcError(acme.connections.delete({ id: sap.id }), 'NOT_FOUND'));
  });

  it('never put the planted secret in any response or error of this file', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const text of seen) expect(text).not.toContain(PLANTED);
  });
});
