import { z } from 'zod';
import { secret, setting, type ConnectionSystemDefinition } from '../common/connection-kind';
import { defineRecordKind } from '../common/record-kind';

/** Browser-safe: the `netsuite.record` node kind and what a NetSuite connection holds. */

export const NETSUITE_RECORD_TYPES = ['customer', 'salesOrder', 'invoice', 'vendorBill', 'journalEntry'] as const;
export type NetSuiteRecordType = (typeof NETSUITE_RECORD_TYPES)[number];

export const netsuiteRecord = defineRecordKind({
  kind: 'netsuite.record',
  displayName: 'NetSuite record',
  description: 'Creates, upserts (by external id), reads or queries NetSuite records over the REST record API with token-based authentication.',
  icon: 'database',
  recordTypes: NETSUITE_RECORD_TYPES,
  operations: ['upsert', 'create', 'get', 'query', 'update', 'delete'],
  mappingErp: 'netsuite',
  defaultRecordType: 'invoice',
  queryHelp:
    'JSONata giving a SuiteQL statement (`"SELECT id, tranid FROM transaction WHERE externalid = \'" & number & "\'"`) or a record-list filter (`q`, e.g. `externalId IS "X"`).',
});

export const netsuiteConnection: ConnectionSystemDefinition = {
  system: 'netsuite',
  displayName: 'NetSuite',
  description: 'SuiteTalk REST web services with token-based authentication (OAuth 1.0a, HMAC-SHA256).',
  baseUrlExample: 'https://1234567.suitetalk.api.netsuite.com',
  configSchema: z.strictObject({
    accountId: setting('Account id', 'The account (realm), e.g. 1234567 or 1234567_SB1.'),
    maxConcurrency: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(5)
      .meta({ title: 'Concurrent requests', description: "Requests this worker sends at once; keep it under the account's concurrency limit." }),
  }),
  credentialsSchema: z.strictObject({
    consumerKey: secret('Consumer key'),
    consumerSecret: secret('Consumer secret'),
    tokenId: secret('Token id'),
    tokenSecret: secret('Token secret'),
  }),
};
