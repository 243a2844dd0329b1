import { z } from 'zod';
import { secret, setting, type ConnectionSystemDefinition } from '../common/connection-kind';
import { defineRecordKind } from '../common/record-kind';

/** Browser-safe: the `business-central.record` node kind and what a Business Central connection holds. */

export const BC_RECORD_TYPES = ['customers', 'salesOrders', 'salesInvoices', 'purchaseInvoices', 'journals', 'generalLedgerEntries'] as const;
export const BC_DEFAULT_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export const businessCentralRecord = defineRecordKind({
  kind: 'business-central.record',
  displayName: 'Business Central record',
  description: 'Creates, upserts, reads or queries Dynamics 365 Business Central entities over API v2.0 (OAuth 2.0 client credentials, ETags).',
  icon: 'database',
  recordTypes: BC_RECORD_TYPES,
  operations: ['upsert', 'create', 'get', 'query', 'update', 'delete', 'action'],
  actions: ['post'],
  mappingErp: 'business-central',
  defaultRecordType: 'salesInvoices',
  queryHelp: "JSONata giving an OData $filter, e.g. `\"externalDocumentNumber eq '\" & number & \"'\"`.",
});

export const businessCentralConnection: ConnectionSystemDefinition = {
  system: 'business-central',
  displayName: 'Dynamics 365 Business Central',
  description: 'Business Central API v2.0 with a Microsoft Entra app registration (client credentials).',
  baseUrlExample: 'https://api.businesscentral.dynamics.com',
  configSchema: z.strictObject({
    tenantId: setting('Entra tenant id', 'The directory (tenant) id or domain of the customer.'),
    environment: setting('Environment', 'e.g. production or sandbox.').default('production'),
    companyId: setting('Company id', 'The company GUID (GET …/companies lists them).'),
    authorityUrl: z
      .url({ protocol: /^https?$/ })
      .default('https://login.microsoftonline.com')
      .meta({ title: 'Authority URL', description: 'Token endpoint host; the token is requested at {authority}/{tenant}/oauth2/v2.0/token.' }),
    scope: setting('Scope').default(BC_DEFAULT_SCOPE),
  }),
  credentialsSchema: z.strictObject({
    clientId: secret('Client (application) id'),
    clientSecret: secret('Client secret', 'The secret value, not its id.'),
  }),
};
