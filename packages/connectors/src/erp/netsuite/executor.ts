import type { NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { ErpHttp } from '../common/erp-http';
import { sharedLimiter } from '../common/limiter';
import { requireConnection, runRecordOperation, type ErpDeps } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { NetSuiteClient, describeNetSuiteError } from './client';
import { netsuiteConnection, netsuiteRecord } from './kind';
import type { TbaCredentials } from './oauth1';

export function netsuiteClientFor(
  deps: ErpDeps,
  connection: { baseUrl: string; config: Record<string, unknown>; credentials: Record<string, unknown> },
  signal: AbortSignal,
  context: { correlationId?: string; idempotencyKey?: string } = {},
): NetSuiteClient {
  const accountId = String(connection.config.accountId);
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: 'NetSuite',
    now: deps.now,
    describeError: describeNetSuiteError,
    ...context,
  });
  // Per account (the limit NetSuite enforces), and per setting so that a changed setting takes effect.
  const max = Number(connection.config.maxConcurrency ?? 5);
  const limiter = sharedLimiter(deps.sessions, `netsuite|${connection.baseUrl}|${accountId}|${max}`, max);
  return new NetSuiteClient({ baseUrl: connection.baseUrl, accountId, credentials: connection.credentials as unknown as TbaCredentials }, http, limiter, signal);
}

export function createNetSuiteExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(netsuiteRecord, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, netsuiteConnection);
    const client = netsuiteClientFor(deps, connection, ctx.signal, { correlationId: ctx.correlationId, idempotencyKey: ctx.idempotencyKey });
    return runRecordOperation(ctx, deps, netsuiteRecord.kind, 'netsuite', config, input, client);
  });
}
