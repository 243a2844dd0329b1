import { z } from 'zod';
import { secret, type ConnectionSystemDefinition } from '../common/connection-kind';
import { defineRecordKind } from '../common/record-kind';

/** Browser-safe: the `back-office.record` node kind (billing, CRM, warehouse) and its connection. */

export const BACK_OFFICE_RECORD_TYPES = [
  'billing/charges',
  'billing/invoices',
  'billing/payments',
  'crm/accounts',
  'crm/opportunities',
  'crm/status-updates',
  'warehouse/fulfillment-orders',
  'warehouse/shipments',
] as const;

export const backOfficeRecord = defineRecordKind({
  kind: 'back-office.record',
  displayName: 'Billing / CRM / warehouse',
  description: 'Creates (with an idempotency key), upserts by external id, reads or lists records of the billing, CRM and warehouse APIs, and runs their actions (void, cancel, ship).',
  icon: 'briefcase',
  recordTypes: BACK_OFFICE_RECORD_TYPES,
  operations: ['upsert', 'create', 'get', 'query', 'update', 'action'],
  actions: ['void', 'cancel', 'ship'],
  defaultRecordType: 'crm/accounts',
  queryHelp: 'JSONata giving filter parameters as an object, e.g. `{"customerId": customer.id, "status": "open"}`.',
});

export const backOfficeConnection: ConnectionSystemDefinition = {
  system: 'back-office',
  displayName: 'Billing, CRM and warehouse',
  description: 'The generic back-office APIs (billing, CRM, warehouse) with an API key.',
  baseUrlExample: 'https://api.example-backoffice.com',
  configSchema: z.strictObject({}),
  credentialsSchema: z.strictObject({ apiKey: secret('API key') }),
};
