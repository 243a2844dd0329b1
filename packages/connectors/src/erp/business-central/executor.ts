import type { NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { ErpHttp } from '../common/erp-http';
import { OAuthClientCredentials } from '../common/oauth2';
import { requireConnection, runRecordOperation, type ErpDeps } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { sessionKey } from '../common/token-cache';
import { BusinessCentralClient, describeBusinessCentralError } from './client';
import { businessCentralConnection, businessCentralRecord } from './kind';

export function businessCentralClientFor(
  deps: ErpDeps,
  connection: { baseUrl: string; config: Record<string, unknown>; credentials: Record<string, unknown> },
  signal: AbortSignal,
  correlationId?: string,
): BusinessCentralClient {
  const c = connection.config as { tenantId: string; environment: string; companyId: string; authorityUrl: string; scope: string };
  const creds = connection.credentials as { clientId: string; clientSecret: string };
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: 'Business Central',
    now: deps.now,
    describeError: describeBusinessCentralError,
    ...(correlationId ? { correlationId } : {}),
  });
  const oauth = new OAuthClientCredentials(http, deps.tokens, sessionKey('business-central', connection.baseUrl, c, creds), {
    tokenUrl: `${c.authorityUrl.replace(/\/+$/, '')}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`,
    params: { grant_type: 'client_credentials', scope: c.scope },
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    clientAuth: 'post',
  });
  return new BusinessCentralClient({ baseUrl: connection.baseUrl, ...c, ...creds }, http, oauth);
}

export function createBusinessCentralExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(businessCentralRecord, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, businessCentralConnection);
    const client = businessCentralClientFor(deps, connection, ctx.signal, ctx.correlationId);
    return runRecordOperation(ctx, deps, businessCentralRecord.kind, 'business-central', config, input, client);
  });
}
