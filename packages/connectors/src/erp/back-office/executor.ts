import type { NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { ErpHttp } from '../common/erp-http';
import { requireConnection, runRecordOperation, type ErpDeps } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { BackOfficeClient, describeBackOfficeError } from './client';
import { backOfficeConnection, backOfficeRecord } from './kind';

export function backOfficeClientFor(
  deps: ErpDeps,
  connection: { baseUrl: string; credentials: Record<string, unknown> },
  signal: AbortSignal,
  context: { correlationId?: string; idempotencyKey?: string } = {},
): BackOfficeClient {
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: 'Back office',
    now: deps.now,
    describeError: describeBackOfficeError,
    ...context,
  });
  return new BackOfficeClient(connection.baseUrl, String(connection.credentials.apiKey), http);
}

export function createBackOfficeExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(backOfficeRecord, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, backOfficeConnection);
    const client = backOfficeClientFor(deps, connection, ctx.signal, { correlationId: ctx.correlationId, idempotencyKey: ctx.idempotencyKey });
    return runRecordOperation(ctx, deps, backOfficeRecord.kind, undefined, config, input, client);
  });
}
