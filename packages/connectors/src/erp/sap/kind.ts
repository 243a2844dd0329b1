import { z } from 'zod';
import { type ConnectionIssue, type ConnectionSystemDefinition } from '../common/connection-kind';
import { defineRecordKind } from '../common/record-kind';

/** Browser-safe: the `sap.record` node kind and what an SAP S/4HANA Cloud connection holds. */

export const SAP_RECORD_TYPES = ['A_SalesOrder', 'A_BillingDocument', 'A_JournalEntry'] as const;

export const sapRecord = defineRecordKind({
  kind: 'sap.record',
  displayName: 'SAP S/4HANA record',
  description: 'Creates, upserts (by a reference field), reads or queries SAP S/4HANA Cloud documents over OData v2 with the CSRF handshake; journal entries are posted through the SOAP service JournalEntryCreateRequestConfirmation_In.',
  icon: 'database',
  recordTypes: SAP_RECORD_TYPES,
  operations: ['upsert', 'create', 'get', 'query', 'update', 'delete'],
  mappingErp: 'sap',
  defaultRecordType: 'A_BillingDocument',
  queryHelp: "JSONata giving an OData $filter, e.g. `\"DocumentReferenceID eq '\" & number & \"'\"`.",
});

const optionalSecret = (title: string) => z.string().min(1, 'must not be empty').max(4000).optional().meta({ title, writeOnly: true });

export const sapConnection: ConnectionSystemDefinition = {
  system: 'sap',
  displayName: 'SAP S/4HANA Cloud',
  description: 'OData v2 APIs through a communication arrangement: a communication user (Basic) or an OAuth 2.0 client.',
  baseUrlExample: 'https://my123456-api.s4hana.cloud.sap',
  configSchema: z.strictObject({
    authMethod: z.enum(['basic', 'oauth2']).default('basic').meta({ title: 'Authentication' }),
    tokenUrl: z.url({ protocol: /^https?$/ }).optional().meta({ title: 'Token URL', description: 'OAuth 2.0 only; default {base URL}/sap/bc/sec/oauth2/token.' }),
  }),
  credentialsSchema: z.strictObject({
    username: optionalSecret('Communication user'),
    password: optionalSecret('Password'),
    clientId: optionalSecret('OAuth client id'),
    clientSecret: optionalSecret('OAuth client secret'),
  }),
  check: (config, credentials) => {
    const needed = config.authMethod === 'oauth2' ? ['clientId', 'clientSecret'] : ['username', 'password'];
    return needed
      .filter((field) => typeof credentials[field] !== 'string')
      .map((field): ConnectionIssue => ({ field: `credentials.${field}`, message: `is required for ${String(config.authMethod)} authentication` }));
  },
};
