import { z } from 'zod';
import { type ConnectionIssue, type ConnectionSystemDefinition } from '../common/connection-kind';
import { defineRecordKind } from '../common/record-kind';

/** Browser-safe: the `oracle-fusion.record` node kind and what an Oracle Fusion Cloud ERP connection holds. */

export const ORACLE_FUSION_RECORD_TYPES = ['invoices', 'receivablesInvoices', 'journalBatches', 'suppliers'] as const;

/** The attribute each record type is upserted by: the business key Fusion itself keeps unique. */
export const ORACLE_FUSION_NATURAL_KEYS: Record<(typeof ORACLE_FUSION_RECORD_TYPES)[number], string> = {
  invoices: 'InvoiceNumber',
  receivablesInvoices: 'TransactionNumber',
  journalBatches: 'BatchName',
  suppliers: 'SupplierNumber',
};

export const oracleFusionRecord = defineRecordKind({
  kind: 'oracle-fusion.record',
  displayName: 'Oracle Fusion record',
  description:
    'Creates, upserts (by invoice, transaction, batch or supplier number), reads, updates or queries Oracle Fusion Cloud ERP payables invoices, receivables invoices, journal batches and suppliers over its REST API.',
  icon: 'database',
  recordTypes: ORACLE_FUSION_RECORD_TYPES,
  operations: ['upsert', 'create', 'get', 'query', 'update'],
  mappingErp: 'oracle-fusion',
  defaultRecordType: 'receivablesInvoices',
  queryHelp: "JSONata giving a `q` expression (`\"InvoiceNumber='\" & number & \"'\"`) or an object of attribute values (`{\"Supplier\": supplier}`).",
});

const optionalSecret = (title: string) => z.string().min(1, 'must not be empty').max(4000).optional().meta({ title, writeOnly: true });

export const oracleFusionConnection: ConnectionSystemDefinition = {
  system: 'oracle-fusion',
  displayName: 'Oracle Fusion Cloud ERP',
  description: 'Fusion REST APIs (fscmRestApi) as an integration user (Basic) or a confidential application in the identity domain (OAuth 2.0 client credentials).',
  baseUrlExample: 'https://fa-abcd-saasfademo1.ds-fa.oraclepdemos.com',
  configSchema: z.strictObject({
    authMethod: z.enum(['basic', 'oauth2']).default('basic').meta({ title: 'Authentication' }),
    apiVersion: z
      .string()
      .regex(/^(\d+(\.\d+)*|latest)$/, 'must be a REST version such as 11.13.18.05 or latest')
      .default('11.13.18.05')
      .meta({ title: 'REST API version' }),
    tokenUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({ title: 'Token URL', description: 'OAuth 2.0 only: the identity domain token endpoint, e.g. https://idcs-….identity.oraclecloud.com/oauth2/v1/token.' }),
    scope: z.string().max(1000).optional().meta({ title: 'Scope', description: 'OAuth 2.0 only, e.g. urn:opc:resource:fa:instanceid=…urn:opc:resource:consumer::all.' }),
  }),
  credentialsSchema: z.strictObject({
    username: optionalSecret('Integration user'),
    password: optionalSecret('Password'),
    clientId: optionalSecret('OAuth client id'),
    clientSecret: optionalSecret('OAuth client secret'),
  }),
  check: (config, credentials) => {
    const oauth = config.authMethod === 'oauth2';
    const issues: ConnectionIssue[] = (oauth ? ['clientId', 'clientSecret'] : ['username', 'password'])
      .filter((field) => typeof credentials[field] !== 'string')
      .map((field) => ({ field: `credentials.${field}`, message: `is required for ${String(config.authMethod)} authentication` }));
    if (oauth && typeof config.tokenUrl !== 'string') issues.push({ field: 'config.tokenUrl', message: 'is required for oauth2 authentication (the identity domain token endpoint)' });
    return issues;
  },
};
