import { sampleJournalEntry, sampleOverlay } from '@switchyard/canonical';
import { it } from 'vitest';
import { ctxWith, demoConnections, executors, loopbackFetch, startEstate } from '../erp/support';

const SAP_ITEMS = `[lines.{"GLAccount": $lookup('accounts', account), "AmountInTransactionCurrency": $number(debit) > 0 ? debit : '-' & credit, "DocumentItemText": $substring(memo ? memo : '', 0, 50), "CostCenter": costCenter}]`;
it('probe', async () => {
  const estate = await startEstate();
  const f = loopbackFetch();
  const ex = executors(f);
  const ctx = ctxWith(demoConnections(estate));
  const cases: Array<[string, string, string, string, Record<string, string>]> = [
    ['netsuite.record', 'netsuite', 'journalEntry', 'netsuite', {}],
    ['sap.record', 'sap', 'A_JournalEntry', 'sap', { to_JournalEntryItem: '', ExchangeRate: '', to_Item: SAP_ITEMS }],
    ['business-central.record', 'business-central', 'journals', 'business-central', {}],
  ];
  for (const [kind, conn, rt, erp, fix] of cases) {
    try {
      const r = await ex[kind as 'sap.record'](ctx, { connectionId: conn, operation: 'upsert', recordType: rt, externalIdPath: 'id', mapping: { object: 'journalEntry', overlay: { ...sampleOverlay(erp as 'sap'), fieldOverrides: fix } } }, sampleJournalEntry());
      console.log(kind, 'OK', JSON.stringify(r.output).slice(0, 600));
    } catch (e) {
      console.log(kind, 'ERR', (e as Error).message);
    }
  }
  await f.close();
  await estate.close();
});
