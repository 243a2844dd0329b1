import { DEMO_ESTATE, startAllSimulators, type Estate } from '@switchyard/erp-sim';
import { NodeExecutionError, type ExecutorContext, type ResolvedConnection } from '@switchyard/workflow';
import { expect } from 'vitest';
import { DEFAULT_EXPRESSION_MAX_DEPTH, DEFAULT_EXPRESSION_TIMEOUT_MS } from '../../src/jsonata/evaluate';
import { createErpExecutors } from '../../src/erp/executors';
import type { ErpDeps } from '../../src/erp/common/record-executor';
import { TokenCache } from '../../src/erp/common/token-cache';
import { createOutboundFetch } from '../../src/http/outbound/outbound-fetch';
import { makeCtx } from '../helpers';

export const budget = { timeoutMs: DEFAULT_EXPRESSION_TIMEOUT_MS, maxDepth: DEFAULT_EXPRESSION_MAX_DEPTH };

/** The simulators listen on loopback, which the platform allowlist must open. */
export function loopbackFetch(): ReturnType<typeof createOutboundFetch> {
  return createOutboundFetch({ allowlist: '127.0.0.1' });
}

/** Wraps a fetch and records the URL path of every request, so tests can count token requests. */
export function countingFetch(inner: typeof fetch): { fetch: typeof fetch; paths: string[] } {
  const paths: string[] = [];
  const wrapped = ((input: string | URL | Request, init?: RequestInit) => {
    paths.push(new URL(input instanceof Request ? input.url : input.toString()).pathname);
    return inner(input, init);
  }) as typeof fetch;
  return { fetch: wrapped, paths };
}

export function deps(fetchImpl: typeof fetch, now: () => number = Date.now): ErpDeps {
  return { fetch: fetchImpl, tokens: new TokenCache(now), budget, now, sessions: new Map() };
}

const ns = DEMO_ESTATE.netsuite.accounts[0];
const bc = DEMO_ESTATE.businessCentral.tenants[0];
const sap = DEMO_ESTATE.sap.systems[0];
const wd = DEMO_ESTATE.workday.tenants[0];
const bo = DEMO_ESTATE.backOffice.accounts[0];
const fa = DEMO_ESTATE.oracleFusion.instances[0];

/** One connection per simulator, as the demo seed would store them (decrypted). */
export function demoConnections(estate: Estate): Record<string, ResolvedConnection> {
  const list: ResolvedConnection[] = [
    {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'netsuite',
      kind: 'netsuite',
      baseUrl: estate.urls.netsuite,
      config: { accountId: ns.accountId },
      credentials: { ...ns.credentials[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000002',
      name: 'business-central',
      kind: 'business-central',
      baseUrl: estate.urls.businessCentral,
      config: { tenantId: bc.tenantId, environment: bc.environment, companyId: bc.companies[0].id, authorityUrl: estate.urls.businessCentral },
      credentials: { ...bc.clients[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000003',
      name: 'sap',
      kind: 'sap',
      baseUrl: estate.urls.sap,
      config: { authMethod: 'basic' },
      credentials: { ...sap.users[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000004',
      name: 'sap-oauth',
      kind: 'sap',
      baseUrl: estate.urls.sap,
      config: { authMethod: 'oauth2' },
      credentials: { ...sap.oauthClients[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000005',
      name: 'workday',
      kind: 'workday',
      baseUrl: estate.urls.workday,
      config: { tenant: wd.tenant },
      credentials: { clientId: wd.clients[0].clientId, clientSecret: wd.clients[0].clientSecret, refreshToken: wd.clients[0].refreshTokens[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000006',
      name: 'back-office',
      kind: 'back-office',
      baseUrl: estate.urls.backOffice,
      config: {},
      credentials: { apiKey: bo.apiKeys[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000007',
      name: 'oracle-fusion',
      kind: 'oracle-fusion',
      baseUrl: estate.urls.oracleFusion,
      config: { authMethod: 'basic', apiVersion: '11.13.18.05' },
      credentials: { ...fa.users[0] },
    },
    {
      id: '00000000-0000-4000-8000-000000000008',
      name: 'oracle-fusion-oauth',
      kind: 'oracle-fusion',
      baseUrl: estate.urls.oracleFusion,
      config: { authMethod: 'oauth2', apiVersion: 'latest', tokenUrl: `${estate.urls.oracleFusion}/oauth2/v1/token`, scope: 'urn:opc:resource:consumer::all' },
      credentials: { ...fa.clients[0] },
    },
  ];
  return Object.fromEntries(list.map((c) => [c.name, c]));
}

/** An executor context whose connection resolver serves the given connections by name or id. */
export function ctxWith(connections: Record<string, ResolvedConnection>, overrides: Partial<ExecutorContext> = {}): ExecutorContext {
  const all = Object.values(connections);
  return makeCtx({
    connections: { get: (key) => Promise.resolve(all.find((c) => c.name === key || c.id === key) ?? null) },
    ...overrides,
  });
}

export async function startEstate(): Promise<Estate> {
  return startAllSimulators({ host: '127.0.0.1' });
}

export function executors(fetchImpl: typeof fetch) {
  return createErpExecutors({ fetch: fetchImpl, budget });
}

export async function nodeError(promise: Promise<unknown>): Promise<NodeExecutionError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the step to fail').toBeInstanceOf(NodeExecutionError);
  return err as NodeExecutionError;
}
