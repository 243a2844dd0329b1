import type { NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { ErpHttp } from '../common/erp-http';
import { OAuthClientCredentials } from '../common/oauth2';
import { requireConnection, runRecordOperation, type ErpDeps } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { sessionKey } from '../common/token-cache';
import { WorkdayClient, describeWorkdayError } from './client';
import { workdayConnection, workdayRecord } from './kind';

export function workdayClientFor(
  deps: ErpDeps,
  connection: { baseUrl: string; config: Record<string, unknown>; credentials: Record<string, unknown> },
  signal: AbortSignal,
  correlationId?: string,
): WorkdayClient {
  const config = connection.config as { tenant: string; tokenUrl?: string };
  const creds = connection.credentials as { clientId: string; clientSecret: string; refreshToken: string };
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: 'Workday',
    now: deps.now,
    describeError: describeWorkdayError,
    ...(correlationId ? { correlationId } : {}),
  });
  const oauth = new OAuthClientCredentials(http, deps.tokens, sessionKey('workday', connection.baseUrl, config, creds), {
    tokenUrl: config.tokenUrl ?? `${connection.baseUrl}/ccx/oauth2/${encodeURIComponent(config.tenant)}/token`,
    params: { grant_type: 'refresh_token', refresh_token: creds.refreshToken },
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    clientAuth: 'basic',
  });
  return new WorkdayClient({ baseUrl: connection.baseUrl, tenant: config.tenant }, http, oauth);
}

export function createWorkdayExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(workdayRecord, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, workdayConnection);
    const client = workdayClientFor(deps, connection, ctx.signal, ctx.correlationId);
    return runRecordOperation(ctx, deps, workdayRecord.kind, 'workday', config, input, client);
  });
}
