import { sampleOverlay, type TenantMappingOverlay } from '@switchyard/canonical';
import type { Estate } from '@switchyard/erp-sim';
import type { ExecutorRegistry, ResolvedConnection } from '@switchyard/workflow';
import { createConnectorExecutors, createOutboundFetch, withConnections } from '../../src/index';
import type { TemplateErp } from '../../src/templates/erp-targets';
import { demoConnections } from '../erp/support';
import { MemoryRunStore, RecordingLogger, SkippingClock } from './engine-driver';

/** The simulator account each ERP's faults and records are kept under. */
export const ERP_ACCOUNT: Record<TemplateErp, string> = {
  netsuite: 'TSTDRV1000001',
  'business-central': '3f6b2a1e-0000-4000-8000-00000000bc01',
  sap: 'S4C',
  workday: 'acme_demo1',
  'oracle-fusion': 'acme-fa-test',
};

export const SIM_OF: Record<TemplateErp, 'netsuite' | 'businessCentral' | 'sap' | 'workday' | 'oracleFusion'> = {
  netsuite: 'netsuite',
  'business-central': 'businessCentral',
  sap: 'sap',
  workday: 'workday',
  'oracle-fusion': 'oracleFusion',
};

/** The demo tenant's lookups, with every code the generated invoices use. */
export function tenantOverlay(erp: TemplateErp): TenantMappingOverlay {
  const overlay = sampleOverlay(erp);
  if (erp === 'business-central') overlay.lookups.taxCodes = { ...overlay.lookups.taxCodes, 'US-NY': 'TAXABLE' };
  return overlay;
}

/** Connections named `erp` (the ERP under test) and `back-office`, as the worker would resolve them. */
export function connectionsFor(estate: Estate, erp: TemplateErp): Record<string, ResolvedConnection> {
  const demo = demoConnections(estate);
  const erpConnection = demo[erp] as ResolvedConnection;
  return { erp: { ...erpConnection, name: 'erp' }, 'back-office': demo['back-office'] as ResolvedConnection };
}

/** The secret values of the demo connections: none may show up in run history or logs. */
export function secretValues(connections: Record<string, ResolvedConnection>): string[] {
  return Object.values(connections).flatMap((c) => Object.values(c.credentials).filter((v): v is string => typeof v === 'string'));
}

export interface EngineEnv {
  store: MemoryRunStore;
  executors: ExecutorRegistry;
  clock: SkippingClock;
  logger: RecordingLogger;
  close(): Promise<void>;
}

/** The worker's wiring in small: every connector executor, the loopback allowlist, a tenant's connections. */
export function engineEnv(connections: Record<string, ResolvedConnection>): EngineEnv {
  const all = Object.values(connections);
  const outbound = createOutboundFetch({ allowlist: '127.0.0.1' });
  const executors = createConnectorExecutors({ fetch: outbound });
  return {
    store: new MemoryRunStore(),
    executors: withConnections(executors, () => ({ get: (key) => Promise.resolve(all.find((c) => c.name === key || c.id === key) ?? null) })),
    clock: new SkippingClock(),
    logger: new RecordingLogger(),
    close: () => outbound.close(),
  };
}
