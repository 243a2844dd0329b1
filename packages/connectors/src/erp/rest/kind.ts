import { defineNodeKind } from '@switchyard/workflow';
import { z } from 'zod';
import { type ConnectionIssue, type ConnectionSystemDefinition } from '../common/connection-kind';

/** Browser-safe: a generic REST call through a connection that holds the base URL and the auth preset. */

export const REST_AUTH_PRESETS = ['none', 'api-key', 'basic', 'bearer', 'oauth2-client-credentials'] as const;

const optionalSecret = (title: string) => z.string().min(1, 'must not be empty').max(4000).optional().meta({ title, writeOnly: true });

const NEEDS: Record<(typeof REST_AUTH_PRESETS)[number], string[]> = {
  none: [],
  'api-key': ['apiKey'],
  basic: ['username', 'password'],
  bearer: ['token'],
  'oauth2-client-credentials': ['clientId', 'clientSecret'],
};

export const restConnection: ConnectionSystemDefinition = {
  system: 'rest',
  displayName: 'REST API',
  description: 'Any JSON/REST API: a base URL and one of the auth presets (API key, Basic, bearer token, OAuth 2.0 client credentials).',
  baseUrlExample: 'https://api.example.com',
  configSchema: z.strictObject({
    auth: z.enum(REST_AUTH_PRESETS).default('api-key').meta({ title: 'Authentication' }),
    apiKeyHeader: z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name')
      .max(200)
      .default('X-API-Key')
      .meta({ title: 'API key header' }),
    tokenUrl: z.url({ protocol: /^https?$/ }).optional().meta({ title: 'Token URL', description: 'OAuth 2.0 client credentials only.' }),
    scope: z.string().max(1000).optional().meta({ title: 'Scope' }),
    clientAuth: z.enum(['basic', 'post']).default('basic').meta({ title: 'Client authentication', description: 'How the client id and secret go to the token endpoint.' }),
  }),
  credentialsSchema: z.strictObject({
    apiKey: optionalSecret('API key'),
    username: optionalSecret('User name'),
    password: optionalSecret('Password'),
    token: optionalSecret('Bearer token'),
    clientId: optionalSecret('Client id'),
    clientSecret: optionalSecret('Client secret'),
  }),
  check: (config, credentials) => {
    const auth = config.auth as (typeof REST_AUTH_PRESETS)[number];
    const issues: ConnectionIssue[] = (NEEDS[auth] ?? [])
      .filter((f) => typeof credentials[f] !== 'string')
      .map((f) => ({ field: `credentials.${f}`, message: `is required for ${auth} authentication` }));
    if (auth === 'oauth2-client-credentials' && !config.tokenUrl) issues.push({ field: 'config.tokenUrl', message: 'is required for OAuth 2.0 client credentials' });
    return issues;
  },
};

const headerName = z.string().min(1).max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');

export const RestRequestConfigSchema = z.object({
  connectionId: z.string().trim().min(1, 'must name a connection').max(200).meta({ title: 'Connection' }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').meta({ title: 'Method' }),
  path: z
    .string()
    .max(2000)
    .regex(/^\/[^\s]*$/, 'must start with "/" and contain no spaces')
    .meta({ title: 'Path', description: 'Appended to the connection base URL, e.g. /v1/customers.' }),
  pathExpression: z.string().max(5000).optional().meta({ title: 'Path expression', description: 'JSONata giving the path instead, e.g. `"/v1/customers/" & id`.' }),
  query: z.string().max(10_000).optional().meta({ title: 'Query', description: 'JSONata giving query parameters as an object.' }),
  headers: z.record(headerName, z.string().max(4000)).default({}).meta({ title: 'Headers', description: 'Extra headers; credentials belong in the connection.' }),
  body: z.string().max(20_000).optional().meta({ title: 'Body', description: 'JSONata over the input; empty sends the input (not for GET/DELETE).' }),
  successStatuses: z.array(z.number().int().min(100).max(599)).optional().meta({ title: 'Success statuses' }),
});
export type RestRequestConfig = z.infer<typeof RestRequestConfigSchema>;

export const restRequest = defineNodeKind<RestRequestConfig>()({
  kind: 'rest.request',
  version: 1,
  category: 'action',
  displayName: 'REST request',
  description: "Calls a REST API through one of the tenant's connections (base URL and credentials kept there).",
  icon: 'plug',
  configSchema: RestRequestConfigSchema,
  defaultConfig: { connectionId: '', method: 'GET', path: '/', headers: {} },
  isTrigger: false,
  outputs: ['out', 'error'],
});
