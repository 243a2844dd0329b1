import { DEMO_ESTATE, type Estate, type StoredRecord } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEMPLATE_ERPS, type TemplateErp } from '../../src/templates/erp-targets';
import { subscriptionBillingTemplate } from '../../src/templates/subscription-billing';
import { startEstate } from '../erp/support';
import { drive } from './engine-driver';
import { connectionsFor, engineEnv, ERP_ACCOUNT, SIM_OF, tenantOverlay, type EngineEnv } from './support';

let estate: Estate;
const BACK_OFFICE = DEMO_ESTATE.backOffice.accounts[0].account;
beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await estate.close();
});

const usage = (id: string) => ({
  id,
  period: '2026-03',
  customer: { number: 'C1001', name: 'Northwind Robotics' },
  currency: 'USD',
  legalEntity: 'US01',
  postingDate: '2026-03-31',
  items: [
    { metric: 'api-calls', quantity: 120_000, unitPrice: '0.0125', description: 'API calls' },
    { metric: 'fleet', quantity: 12, unitPrice: '49.00' },
    { metric: 'unused', quantity: 0, unitPrice: '10.00' },
  ],
});
const TOTAL = 120_000 * 0.0125 + 12 * 49; // 2088.00

/** The ERP's journal for the usage event, and its total debit. */
const JOURNAL: Record<TemplateErp, { kind: string; key: (r: StoredRecord) => unknown; debit: (r: StoredRecord) => number }> = {
  netsuite: { kind: 'journalEntry', key: (r) => r.data.externalId, debit: (r) => (r.data.line as { items: Array<{ debit?: number }> }).items.reduce((s, l) => s + (l.debit ?? 0), 0) },
  'business-central': { kind: 'journals', key: (r) => r.data.code, debit: () => 0 },
  sap: {
    kind: 'A_JournalEntry',
    key: (r) => r.data.DocumentReferenceID,
    debit: (r) => (r.data.to_Item as Array<{ AmountInTransactionCurrency: string }>).reduce((s, i) => s + Math.max(0, Number(i.AmountInTransactionCurrency)), 0),
  },
  workday: { kind: 'accountingJournals', key: (r) => r.data.externalReferenceId, debit: (r) => Number(r.data.totalDebitAmount) },
  'oracle-fusion': { kind: 'journalBatches', key: (r) => r.data.BatchName, debit: (r) => Number(r.data.RunningTotalAccountedDr) },
};

describe.each(TEMPLATE_ERPS)('subscription billing template with %s', (erp) => {
  let env: EngineEnv;
  const graph = () => subscriptionBillingTemplate.build({ erp, connectionId: 'erp', backOfficeConnectionId: 'back-office', overlay: tenantOverlay(erp) }).graph;
  const bo = (kind: string) => estate.backOffice.records(kind, BACK_OFFICE);

  beforeEach(() => {
    estate.reset();
    env = engineEnv(connectionsFor(estate, erp));
  });

  it('rates charges, invoices, posts one summarized entry and updates the CRM, once, under faults', async () => {
    estate[SIM_OF[erp]].setFaults({ account: ERP_ACCOUNT[erp], errorRate: 0.15, rate429: 0.1, lostResponseRate: 0.1, seed: 9 });
    estate.backOffice.setFaults({ account: BACK_OFFICE, errorRate: 0.1, lostResponseRate: 0.1, seed: 10 });
    for (const runId of ['usage-a', 'usage-b']) {
      const { outcome } = await drive(env, graph(), usage('USG-2026-03-C1001'), runId);
      expect(outcome, runId).toEqual({ kind: 'finished', status: 'succeeded' });
    }
    expect(bo('charges').map((c) => c.data.externalId).sort()).toEqual(['USG-2026-03-C1001-api-calls', 'USG-2026-03-C1001-fleet']);
    expect(bo('invoices')).toHaveLength(1);
    expect(bo('invoices')[0]?.data).toMatchObject({ total: Math.round(TOTAL * 100), status: 'open' });
    expect(bo('accounts').map((a) => a.data)).toMatchObject([{ externalId: 'C1001', paymentStatus: 'current' }]);
    const journals = estate[SIM_OF[erp]].records(JOURNAL[erp].kind, ERP_ACCOUNT[erp]);
    expect(journals.map(JOURNAL[erp].key)).toEqual(['USG-2026-03-C1001']);
    if (erp === 'business-central') {
      // Posted: the batch is empty and the ledger holds one debit and one credit of the total.
      expect(journals[0]?.data.journalLines).toEqual([]);
      const entries = estate.businessCentral.records('generalLedgerEntries', ERP_ACCOUNT[erp]).map((e) => e.data);
      expect(entries).toHaveLength(2);
      expect(entries.reduce((s, e) => s + Number(e.debitAmount), 0)).toBeCloseTo(TOTAL, 2);
    } else {
      expect(JOURNAL[erp].debit(journals[0] as StoredRecord)).toBeCloseTo(TOTAL, 2);
    }
  });

  it('answers incomplete usage with 400 and charges nothing', async () => {
    const { outcome } = await drive(env, graph(), { id: 'U-1', items: [] }, 'usage-bad');
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(env.store.stateOf('usage-bad')?.response).toMatchObject({ status: 400 });
    expect(bo('charges')).toHaveLength(0);
  });
});
