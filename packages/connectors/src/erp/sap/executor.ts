import type { NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { ErpHttp } from '../common/erp-http';
import { OAuthClientCredentials } from '../common/oauth2';
import { requireConnection, runRecordOperation, type ErpDeps } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { sessionKey } from '../common/token-cache';
import { SapClient, describeSapError } from './client';
import { sapConnection, sapRecord } from './kind';

export function sapClientFor(
  deps: ErpDeps,
  connection: { baseUrl: string; config: Record<string, unknown>; credentials: Record<string, unknown> },
  signal: AbortSignal,
  correlationId?: string,
  idempotencyKey?: string,
): SapClient {
  const config = connection.config as { authMethod: 'basic' | 'oauth2'; tokenUrl?: string };
  const creds = connection.credentials as { username?: string; password?: string; clientId?: string; clientSecret?: string };
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: 'SAP',
    now: deps.now,
    describeError: describeSapError,
    ...(correlationId ? { correlationId } : {}),
  });
  const key = sessionKey('sap', connection.baseUrl, config, creds);
  const oauth =
    config.authMethod === 'oauth2'
      ? new OAuthClientCredentials(http, deps.tokens, key, {
          tokenUrl: config.tokenUrl ?? `${connection.baseUrl}/sap/bc/sec/oauth2/token`,
          params: { grant_type: 'client_credentials' },
          clientId: creds.clientId ?? '',
          clientSecret: creds.clientSecret ?? '',
          clientAuth: 'basic',
        })
      : undefined;
  return new SapClient(
    { baseUrl: connection.baseUrl, authMethod: config.authMethod, username: creds.username, password: creds.password, ...(idempotencyKey ? { idempotencyKey } : {}) },
    http,
    oauth,
    deps.sessions,
    key,
  );
}

export function createSapExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(sapRecord, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, sapConnection);
    const client = sapClientFor(deps, connection, ctx.signal, ctx.correlationId, ctx.idempotencyKey);
    return runRecordOperation(ctx, deps, sapRecord.kind, 'sap', config, input, client);
  });
}
