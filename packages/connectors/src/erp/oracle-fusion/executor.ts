import type { NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { ErpHttp } from '../common/erp-http';
import { OAuthClientCredentials } from '../common/oauth2';
import { requireConnection, runRecordOperation, type ErpDeps } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { sessionKey } from '../common/token-cache';
import { OracleFusionClient, describeFusionError } from './client';
import { oracleFusionConnection, oracleFusionRecord } from './kind';

export function oracleFusionClientFor(
  deps: ErpDeps,
  connection: { baseUrl: string; config: Record<string, unknown>; credentials: Record<string, unknown> },
  signal: AbortSignal,
  correlationId?: string,
): OracleFusionClient {
  const config = connection.config as { authMethod: 'basic' | 'oauth2'; apiVersion: string; tokenUrl?: string; scope?: string };
  const creds = connection.credentials as { username?: string; password?: string; clientId?: string; clientSecret?: string };
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: 'Oracle Fusion',
    now: deps.now,
    describeError: describeFusionError,
    ...(correlationId ? { correlationId } : {}),
  });
  const oauth =
    config.authMethod === 'oauth2'
      ? new OAuthClientCredentials(http, deps.tokens, sessionKey('oracle-fusion', connection.baseUrl, config, creds), {
          tokenUrl: config.tokenUrl as string,
          params: { grant_type: 'client_credentials', ...(config.scope ? { scope: config.scope } : {}) },
          clientId: creds.clientId ?? '',
          clientSecret: creds.clientSecret ?? '',
          clientAuth: 'basic',
        })
      : undefined;
  return new OracleFusionClient(
    { baseUrl: connection.baseUrl, apiVersion: config.apiVersion, authMethod: config.authMethod, username: creds.username, password: creds.password },
    http,
    oauth,
  );
}

export function createOracleFusionExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(oracleFusionRecord, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, oracleFusionConnection);
    const client = oracleFusionClientFor(deps, connection, ctx.signal, ctx.correlationId);
    return runRecordOperation(ctx, deps, oracleFusionRecord.kind, 'oracle-fusion', config, input, client);
  });
}
