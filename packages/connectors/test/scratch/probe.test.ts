import { sampleInvoice, sampleOverlay } from '@switchyard/canonical';
import { it } from 'vitest';
import { ctxWith, demoConnections, executors, loopbackFetch, startEstate } from '../erp/support';

const FIX: Record<string, Record<string, string>> = {
  'business-central': { billToAddressLine1: '', billToAddressLine2: '', billToCity: '', billToState: '', billToPostCode: '', billToCountry: '' },
  sap: { NetDueDate: '', 'to_Item[].TaxAmount': '', 'to_Item[].TaxCode': '', 'to_Item[].GLAccount': '' },
};
it('probe', async () => {
  const estate = await startEstate();
  const f = loopbackFetch();
  const ex = executors(f);
  const ctx = ctxWith(demoConnections(estate));
  const cases: Array<[string, string, string, string]> = [
    ['netsuite.record', 'netsuite', 'invoice', 'netsuite'],
    ['business-central.record', 'business-central', 'salesInvoices', 'business-central'],
    ['sap.record', 'sap', 'A_BillingDocument', 'sap'],
  ];
  for (const [kind, conn, rt, erp] of cases) {
    try {
      const r = await ex[kind as 'sap.record'](ctx, { connectionId: conn, operation: 'upsert', recordType: rt, externalIdPath: 'number', mapping: { object: 'invoice', overlay: { ...sampleOverlay(erp as 'sap'), fieldOverrides: FIX[erp] ?? {} } } }, sampleInvoice());
      console.log(kind, 'OK', JSON.stringify(r.output).slice(0, 300));
    } catch (e) {
      console.log(kind, 'ERR', (e as Error).message);
    }
  }
  await f.close();
  await estate.close();
});
