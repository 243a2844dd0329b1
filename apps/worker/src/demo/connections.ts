import { DEMO_ESTATE } from '@switchyard/erp-sim';
import { createConnection, listConnections, updateConnection, type NewConnection, type SecretKeyring } from '@switchyard/db';
import type pg from 'pg';

/** Where the demo's simulators listen this time (they take free ports on every start). */
export interface DemoSimulatorUrls {
  netsuite?: string;
  businessCentral?: string;
  backOffice?: string;
}

/**
 * The demo tenants' connections: acme runs NetSuite, globex Business Central, both with the billing,
 * CRM and warehouse back office. Credentials are the simulators' demo accounts; they are stored
 * encrypted like any tenant's (AES-256-GCM, bound to tenant and connection id).
 */
export function demoTenantConnections(urls: DemoSimulatorUrls): Record<'acme' | 'globex', NewConnection[]> {
  const ns = DEMO_ESTATE.netsuite.accounts[0];
  const bc = DEMO_ESTATE.businessCentral.tenants[0];
  const backOffice = (): NewConnection[] =>
    urls.backOffice ? [{ name: 'back-office', system: 'back-office', baseUrl: urls.backOffice, config: {}, credentials: { apiKey: DEMO_ESTATE.backOffice.accounts[0].apiKeys[0] } }] : [];
  return {
    acme: [
      ...(urls.netsuite ? [{ name: 'netsuite', system: 'netsuite', baseUrl: urls.netsuite, config: { accountId: ns.accountId }, credentials: { ...ns.credentials[0] } }] : []),
      ...backOffice(),
    ],
    globex: [
      ...(urls.businessCentral
        ? [
            {
              name: 'business-central',
              system: 'business-central',
              baseUrl: urls.businessCentral,
              config: { tenantId: bc.tenantId, environment: bc.environment, companyId: bc.companies[0].id, authorityUrl: urls.businessCentral },
              credentials: { ...bc.clients[0] },
            },
          ]
        : []),
      ...backOffice(),
    ],
  };
}

const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
};

export interface DemoConnectionsResult {
  created: string[];
  /** Connections moved to this start's simulator address. */
  repointed: string[];
}

/**
 * Runs on every embedded start. Creates a demo tenant's missing demo connections and moves existing
 * ones to where the simulators listen now; a connection an admin pointed somewhere other than a
 * loopback simulator is left alone. Tenants that do not exist (the demo was never seeded) are skipped.
 */
export async function seedDemoConnections(pool: pg.Pool, keyring: SecretKeyring, urls: DemoSimulatorUrls): Promise<DemoConnectionsResult> {
  const result: DemoConnectionsResult = { created: [], repointed: [] };
  for (const [slug, wanted] of Object.entries(demoTenantConnections(urls))) {
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = $1`, [slug]);
    const tenantId = rows[0]?.id;
    if (!tenantId) continue;
    const existing = await listConnections(pool, keyring, tenantId);
    for (const connection of wanted) {
      const found = existing.find((c) => c.name === connection.name);
      if (!found) {
        const saved = await createConnection(pool, keyring, tenantId, connection);
        if (saved.status === 'saved') result.created.push(`${slug}/${connection.name}`);
        continue;
      }
      if (found.system !== connection.system || found.baseUrl === connection.baseUrl || !isLoopback(found.baseUrl)) continue;
      // Business Central's token endpoint moves with the simulator, so its config follows too.
      const config = connection.system === 'business-central' ? { ...found.config, authorityUrl: connection.baseUrl } : undefined;
      const saved = await updateConnection(pool, keyring, tenantId, found.id, { baseUrl: connection.baseUrl, ...(config ? { config } : {}) });
      if (saved.status === 'saved') result.repointed.push(`${slug}/${connection.name}`);
    }
  }
  return result;
}
