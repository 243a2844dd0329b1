import { createOutboundFetch, testConnection } from '@switchyard/connectors';
import { generateSecretKey, keyringOf, listConnections, resolveConnection, updateConnection } from '@switchyard/db';
import { DEMO_ESTATE, startAllSimulators, type Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoConnections } from '../src/demo/connections';
import { seedDemo } from '../src/demo/seed';
import { createTestDatabase, postgresAvailable } from './support';

const hasPostgres = await postgresAvailable();

/**
 * The demo tenants come with real connections to the local simulators (acme → NetSuite, globex →
 * Business Central, both → back office), their credentials encrypted; each start moves them to
 * where the simulators listen now, without duplicating them or touching one an admin repointed.
 */
describe.skipIf(!hasPostgres)('demo connections', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let first: Estate;
  let second: Estate;
  const keyring = keyringOf(generateSecretKey());
  const outbound = createOutboundFetch({ allowlist: '127.0.0.1' });

  beforeAll(async () => {
    env = await createTestDatabase('demo_connections');
    await seedDemo(env.db.prisma, { receiverUrl: 'http://127.0.0.1:4010' });
    first = await startAllSimulators({ host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await outbound.close();
    await first?.close();
    await second?.close();
    await env?.drop();
  });

  const tenantId = async (slug: string) => (await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;

  /** Calls every connection of the tenant through its connector, as the tenant page does. */
  async function testAll(slug: string) {
    const id = await tenantId(slug);
    const results: Record<string, string> = {};
    for (const summary of await listConnections(env.db.pool, keyring, id)) {
      const resolved = await resolveConnection(env.db.pool, keyring, id, summary.id);
      const result = await testConnection({ ...resolved!, kind: resolved!.kind }, { fetch: outbound });
      results[summary.name] = result.outcome;
    }
    return results;
  }

  it('creates the connections with encrypted credentials, and the simulators accept them', async () => {
    const result = await seedDemoConnections(env.db.pool, keyring, first.urls);
    expect(result.created.sort()).toEqual(['acme/back-office', 'acme/netsuite', 'globex/back-office', 'globex/business-central']);
    const acme = await listConnections(env.db.pool, keyring, await tenantId('acme'));
    expect(acme.map((c) => [c.name, c.system, c.baseUrl])).toEqual([
      ['back-office', 'back-office', first.urls.backOffice],
      ['netsuite', 'netsuite', first.urls.netsuite],
    ]);
    const { rows } = await env.db.pool.query<{ row: string }>(`SELECT row_to_json(c)::text AS row FROM connections c`);
    for (const { row } of rows) {
      expect(row).not.toContain(DEMO_ESTATE.netsuite.accounts[0].credentials[0].tokenSecret);
      expect(row).not.toContain(DEMO_ESTATE.businessCentral.tenants[0].clients[0].clientSecret);
    }
    expect(await testAll('acme')).toEqual({ 'back-office': 'ok', netsuite: 'ok' });
    expect(await testAll('globex')).toEqual({ 'back-office': 'ok', 'business-central': 'ok' });
  });

  it('follows the simulators to their new ports on the next start, once, and leaves a repointed connection alone', async () => {
    const globex = await tenantId('globex');
    const bo = (await listConnections(env.db.pool, keyring, globex)).find((c) => c.name === 'back-office')!;
    expect((await updateConnection(env.db.pool, keyring, globex, bo.id, { baseUrl: 'https://billing.globex.example' })).status).toBe('saved');
    second = await startAllSimulators({ host: '127.0.0.1' });
    const result = await seedDemoConnections(env.db.pool, keyring, second.urls);
    expect(result).toEqual({ created: [], repointed: ['acme/netsuite', 'acme/back-office', 'globex/business-central'] });
    expect(await testAll('acme')).toEqual({ 'back-office': 'ok', netsuite: 'ok' });
    const after = await listConnections(env.db.pool, keyring, globex);
    expect(after.map((c) => [c.name, c.baseUrl])).toEqual([
      ['back-office', 'https://billing.globex.example'],
      ['business-central', second.urls.businessCentral],
    ]);
    expect(after.find((c) => c.name === 'business-central')?.config).toMatchObject({ authorityUrl: second.urls.businessCentral });
    // Nothing changes when the addresses did not.
    expect(await seedDemoConnections(env.db.pool, keyring, second.urls)).toEqual({ created: [], repointed: [] });
  });
});
