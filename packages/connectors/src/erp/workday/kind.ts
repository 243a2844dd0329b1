import { z } from 'zod';
import { secret, setting, type ConnectionSystemDefinition } from '../common/connection-kind';
import { defineRecordKind } from '../common/record-kind';

/** Browser-safe: the `workday.record` node kind and what a Workday connection holds. */

export const WORKDAY_RECORD_TYPES = ['accountingJournals', 'workers', 'costAllocations'] as const;

export const workdayRecord = defineRecordKind({
  kind: 'workday.record',
  displayName: 'Workday record',
  description: 'Posts accounting journals (idempotent by external reference id), reads workers and assigns cost allocations over Workday REST.',
  icon: 'database',
  recordTypes: WORKDAY_RECORD_TYPES,
  operations: ['upsert', 'create', 'get', 'query'],
  parentTypes: ['costAllocations'],
  mappingErp: 'workday',
  defaultRecordType: 'accountingJournals',
  queryHelp: 'JSONata giving query parameters as an object, e.g. `{"externalReferenceId": number}` or `{"search": name}`.',
});

export const workdayConnection: ConnectionSystemDefinition = {
  system: 'workday',
  displayName: 'Workday',
  description: 'Workday REST with an API client for integrations (OAuth 2.0 refresh-token grant).',
  baseUrlExample: 'https://wd2-impl-services1.workday.com',
  configSchema: z.strictObject({
    tenant: setting('Tenant', 'The Workday tenant name, e.g. acme_dpt1.'),
    tokenUrl: z.url({ protocol: /^https?$/ }).optional().meta({ title: 'Token URL', description: 'Default {base URL}/ccx/oauth2/{tenant}/token.' }),
  }),
  credentialsSchema: z.strictObject({
    clientId: secret('Client id'),
    clientSecret: secret('Client secret'),
    refreshToken: secret('Refresh token', 'Issued to the API client for the integration system user.'),
  }),
};
