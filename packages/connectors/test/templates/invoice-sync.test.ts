import { generateInvoices, type InvoiceV2 } from '@switchyard/canonical';
import type { Estate, StoredRecord } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEMPLATE_ERPS, type TemplateErp } from '../../src/templates/erp-targets';
import { invoiceSyncTemplate } from '../../src/templates/invoice-sync';
import { startEstate } from '../erp/support';
import { drive } from './engine-driver';
import { connectionsFor, engineEnv, ERP_ACCOUNT, secretValues, SIM_OF, tenantOverlay, type EngineEnv } from './support';

let estate: Estate;
beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await estate.close();
});

/** The ERP's records for the invoices, keyed by invoice number, and what each must say. */
const RECORDS: Record<TemplateErp, { kind: string; key: (r: StoredRecord) => string; check: (r: StoredRecord, invoice: InvoiceV2) => void }> = {
  netsuite: {
    kind: 'invoice',
    key: (r) => String(r.data.externalId),
    check: (r, invoice) => {
      expect(r.data).toMatchObject({ tranId: invoice.number, tranDate: invoice.issueDate, dueDate: invoice.dueDate, entity: { externalId: invoice.customer.id }, total: Number(invoice.subtotal) });
      expect((r.data.item as { items: unknown[] }).items).toHaveLength(invoice.lines.length);
    },
  },
  'business-central': {
    kind: 'salesInvoices',
    key: (r) => String(r.data.externalDocumentNumber),
    check: (r, invoice) => {
      expect(r.data).toMatchObject({ invoiceDate: invoice.issueDate, dueDate: invoice.dueDate, customerNumber: invoice.customer.number, totalAmountExcludingTax: Number(invoice.subtotal) });
      expect(r.data.salesInvoiceLines).toHaveLength(invoice.lines.length);
    },
  },
  sap: {
    kind: 'A_BillingDocument',
    key: (r) => String(r.data.DocumentReferenceID),
    check: (r, invoice) => {
      expect(r.data).toMatchObject({ SoldToParty: invoice.customer.number, TransactionCurrency: 'USD', TotalNetAmount: invoice.subtotal, CompanyCode: '1710', BillingDocumentDate: Date.parse(invoice.issueDate) });
      expect(r.data.to_Item).toHaveLength(invoice.lines.length);
    },
  },
  workday: {
    kind: 'accountingJournals',
    key: (r) => String(r.data.externalReferenceId),
    check: (r, invoice) => {
      expect(r.data).toMatchObject({ accountingDate: invoice.issueDate, company: { id: 'Northwind_USA' }, totalDebitAmount: Number(invoice.total), totalCreditAmount: Number(invoice.total) });
      const lines = r.data.journalEntryLines as Array<{ ledgerAccount: { id: string } }>;
      expect(lines[0]?.ledgerAccount.id).toBe('12000');
    },
  },
  'oracle-fusion': {
    kind: 'receivablesInvoices',
    key: (r) => String(r.data.TransactionNumber),
    check: (r, invoice) => {
      expect(r.data).toMatchObject({ TransactionDate: invoice.issueDate, BillToCustomerNumber: invoice.customer.number, BusinessUnit: 'US1 Business Unit', EnteredAmount: Number(invoice.subtotal) });
      expect(r.data.receivablesInvoiceLines).toHaveLength(invoice.lines.length);
    },
  },
};

/** The webhook answer the run committed (at its respond step). */
function responseOf(env: EngineEnv, runId: string) {
  return env.store.stateOf(runId)?.response;
}

function recordsOf(erp: TemplateErp): StoredRecord[] {
  return estate[SIM_OF[erp]].records(RECORDS[erp].kind, ERP_ACCOUNT[erp]);
}

describe.each(TEMPLATE_ERPS)('invoice sync template into %s, through the engine', (erp) => {
  let env: EngineEnv;
  const connections = () => connectionsFor(estate, erp);
  const graph = () => invoiceSyncTemplate.build({ erp, connectionId: 'erp', overlay: tenantOverlay(erp) }).graph;

  beforeEach(() => {
    estate.reset();
    env = engineEnv(connections());
  });

  async function syncAll(invoices: InvoiceV2[], prefix: string) {
    const g = graph();
    // Invoices 1 and 4 arrive twice, as separate runs: the ERP must still hold one invoice each.
    const deliveries = [...invoices, invoices[0] as InvoiceV2, invoices[3] as InvoiceV2];
    const outcomes = [];
    for (const [i, invoice] of deliveries.entries()) outcomes.push((await drive(env, g, invoice, `${prefix}-${i}`)).outcome);
    return outcomes;
  }

  function expectRecords(invoices: InvoiceV2[]) {
    const records = recordsOf(erp);
    expect(records.map(RECORDS[erp].key).sort()).toEqual(invoices.map((i) => i.number).sort());
    for (const invoice of invoices) RECORDS[erp].check(records.find((r) => RECORDS[erp].key(r) === invoice.number) as StoredRecord, invoice);
  }

  it('upserts each invoice once with the mapped values', async () => {
    const invoices = generateInvoices(5, { seed: 11, prefix: `INV-${erp.slice(0, 2).toUpperCase()}` });
    const outcomes = await syncAll(invoices, 'clean');
    expect(outcomes.every((o) => o.kind === 'finished' && o.status === 'succeeded')).toBe(true);
    expectRecords(invoices);
    const answer = responseOf(env, 'clean-5');
    expect(answer).toMatchObject({ status: 200, body: { invoice: invoices[0]?.number, erp } });
    // NetSuite's upsert answers 204 either way, so only the other ERPs can tell an update from a create.
    if (erp !== 'netsuite') expect(answer?.body).toMatchObject({ created: false });
    await env.close();
  });

  it('stays exactly-once with injected 5xx, 429 and lost responses, and keeps secrets out of history and logs', async () => {
    estate[SIM_OF[erp]].setFaults({ account: ERP_ACCOUNT[erp], errorRate: 0.15, rate429: 0.1, lostResponseRate: 0.1, retryAfterSeconds: 1, seed: 42 });
    const invoices = generateInvoices(5, { seed: 23, prefix: `INV-F${erp.slice(0, 2).toUpperCase()}` });
    const outcomes = await syncAll(invoices, 'faulty');
    expect(outcomes.every((o) => o.kind === 'finished' && o.status === 'succeeded')).toBe(true);
    expectRecords(invoices);
    const steps = env.store.commits.flatMap((c) => c.commit.steps);
    // The faults did happen: retries were needed and the engine honoured the simulators' Retry-After.
    expect(steps.filter((s) => s.status === 'failed').length).toBeGreaterThan(0);
    const history = JSON.stringify(env.store.commits) + JSON.stringify(env.logger.lines);
    for (const secret of secretValues(connections())) expect(history).not.toContain(secret);
    await env.close();
  });

  it('answers an invalid invoice with 400 naming each field, and sends nothing to the ERP', async () => {
    const [invoice] = generateInvoices(1, { seed: 5 });
    const bad = { ...invoice, dueDate: 'soon', lines: [{ ...invoice!.lines[0], quantity: '-1' }] };
    const { outcome } = await drive(env, graph(), bad, 'invalid');
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    const response = responseOf(env, 'invalid') as { status: number; body: { errors: Array<{ path: string }> } };
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['dueDate', 'lines[0].quantity']));
    expect(recordsOf(erp)).toHaveLength(0);
    await env.close();
  });
});
