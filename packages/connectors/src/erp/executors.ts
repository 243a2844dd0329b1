import { runValidateCanonical, validateCanonicalNodeKind } from '@switchyard/canonical';
import type { ConnectionResolver, ExecutorRegistry, NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import type { ExpressionBudget } from '../kinds/expression-budget';
import { createBackOfficeExecutor } from './back-office/executor';
import { createBusinessCentralExecutor } from './business-central/executor';
import type { ErpDeps } from './common/record-executor';
import { runRedactingConnectionSecrets } from './common/redact-result';
import { TokenCache } from './common/token-cache';
import type { ErpKindName } from './kinds';
import { createNetSuiteExecutor } from './netsuite/executor';
import { createOracleFusionExecutor } from './oracle-fusion/executor';
import { createRestExecutor } from './rest/executor';
import { createSapExecutor } from './sap/executor';
import { createWorkdayExecutor } from './workday/executor';

export interface ErpExecutorOptions {
  fetch: typeof fetch;
  budget: ExpressionBudget;
  now?: () => number;
  /** Shared across executor sets (tests); a fresh cache otherwise. */
  tokens?: TokenCache;
}

export type ConnectorKindName = ErpKindName | 'rest.request' | 'canonical.validate';

/** Executors of the ERP, REST and canonical kinds; one token cache and session map shared by all. */
export function createErpExecutors(options: ErpExecutorOptions): Record<ConnectorKindName, NodeExecutor> {
  const deps: ErpDeps = {
    fetch: options.fetch,
    budget: options.budget,
    now: options.now ?? Date.now,
    tokens: options.tokens ?? new TokenCache(options.now),
    sessions: new Map(),
  };
  return {
    'netsuite.record': createNetSuiteExecutor(deps),
    'business-central.record': createBusinessCentralExecutor(deps),
    'sap.record': createSapExecutor(deps),
    'workday.record': createWorkdayExecutor(deps),
    'oracle-fusion.record': createOracleFusionExecutor(deps),
    'back-office.record': createBackOfficeExecutor(deps),
    'rest.request': createRestExecutor(deps),
    'canonical.validate': defineExecutor(validateCanonicalNodeKind, (_ctx, config, input) => Promise.resolve(runValidateCanonical(config, input))),
  };
}

/**
 * Gives every executor the run tenant's connections. The worker wraps its registry with a resolver
 * bound to the tenant of each step (`ctx.tenantId`), so a workflow can only use its own tenant's
 * connections whatever id it names.
 */
export function withConnections(executors: ExecutorRegistry, resolverFor: (tenantId: string) => ConnectionResolver): ExecutorRegistry {
  const wrapped: Record<string, NodeExecutor> = {};
  for (const [kind, executor] of Object.entries(executors)) {
    // Whatever a step returns or throws has the credentials of the connections it used cut out.
    wrapped[kind] = (ctx, config, input) => runRedactingConnectionSecrets(executor, ctx, resolverFor(ctx.tenantId), config, input);
  }
  return wrapped;
}
