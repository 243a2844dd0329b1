import { DEMO_ESTATE, type Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEMPLATE_ERPS } from '../../src/templates/erp-targets';
import { subscriptionBillingTemplate } from '../../src/templates/subscription-billing';
import { subscriptionReconciliationTemplate } from '../../src/templates/subscription-reconciliation';
import { ctxWith, executors, loopbackFetch, startEstate } from '../erp/support';
import { drive } from './engine-driver';
import { connectionsFor, engineEnv, ERP_ACCOUNT, SIM_OF, tenantOverlay, type EngineEnv } from './support';

let estate: Estate;
const outbound = loopbackFetch();
const BACK_OFFICE = DEMO_ESTATE.backOffice.accounts[0].account;
beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await outbound.close();
  await estate.close();
});

const usage = (id: string, period = '2026-03') => ({
  id,
  period,
  customer: { number: 'C1001', name: 'Northwind Robotics' },
  currency: 'USD',
  legalEntity: 'US01',
  postingDate: `${period}-28`,
  items: [{ metric: 'seats', quantity: 10, unitPrice: '12.50' }],
});

interface Report {
  period: string;
  chunks: number;
  checked: number;
  matched: number;
  differences: Array<{ key: string; kind: string; billing: number; erp?: number }>;
}

describe.each(TEMPLATE_ERPS)('subscription reconciliation with %s', (erp) => {
  let env: EngineEnv;
  const billing = () => subscriptionBillingTemplate.build({ erp, connectionId: 'erp', backOfficeConnectionId: 'back-office', overlay: tenantOverlay(erp) }).graph;
  const built = () => subscriptionReconciliationTemplate.build({ erp, connectionId: 'erp', backOfficeConnectionId: 'back-office', chunkSize: 2 });

  beforeEach(() => {
    estate.reset();
    env = engineEnv(connectionsFor(estate, erp));
  });

  /** An invoice in billing only (as if the ERP posting never happened), through the billing API. */
  async function billingOnlyInvoice(usageId: string, cents: number) {
    const bo = executors(outbound)['back-office.record']!;
    await bo(ctxWith(connectionsFor(estate, erp), { idempotencyKey: `billing-only:${usageId}:${cents}` }), { connectionId: 'back-office', operation: 'create', recordType: 'billing/invoices', payload: '$' }, {
      customerId: 'C1001',
      currency: 'USD',
      lines: [{ description: 'Seats', quantity: 1, unitAmount: cents }],
      metadata: { usage: usageId, period: '2026-03' },
    });
  }

  it('reads both sides on the schedule, compares them in chunks and reports what differs, also under faults', async () => {
    for (const u of [usage('USG-A'), usage('USG-B'), usage('USG-FEB', '2026-02')]) {
      const { outcome } = await drive(env, billing(), u, `bill-${u.id}`);
      expect(outcome, u.id).toEqual({ kind: 'finished', status: 'succeeded' });
    }
    await billingOnlyInvoice('USG-NOT-POSTED', 4200);
    await billingOnlyInvoice('USG-A', 999);
    const erpRecordsBefore = JSON.stringify(estate[SIM_OF[erp]].records(built().graph.nodes.find((n) => n.id === 'ledger')!.config.recordType as string, ERP_ACCOUNT[erp]));

    const expected: Report = {
      period: '2026-03',
      chunks: 2,
      checked: 4,
      matched: 2,
      differences: [
        { key: 'USG-NOT-POSTED', kind: 'missing_in_erp', billing: 4200 },
        { key: 'USG-A', kind: 'amount_mismatch', billing: 999, erp: 12500 },
      ],
    };
    // As the schedule starts it: the slot in the payload, nothing else.
    const first = await drive(env, built().graph, { scheduledFor: '2026-03-31T02:00:00.000Z' }, 'recon-1');
    expect(first.outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    const report = env.store.stateOf('recon-1')?.outputs.report as Report;
    expect({ ...report, differences: report.differences.map(({ key, kind, billing, erp: e }) => ({ key, kind, billing, ...(e !== undefined ? { erp: e } : {}) })) }).toEqual(expected);

    estate[SIM_OF[erp]].setFaults({ account: ERP_ACCOUNT[erp], errorRate: 0.3, rate429: 0.2, lostResponseRate: 0.2, seed: 4 });
    estate.backOffice.setFaults({ account: BACK_OFFICE, errorRate: 0.3, lostResponseRate: 0.2, seed: 5 });
    const second = await drive(env, built().graph, { period: '2026-03' }, 'recon-2');
    expect(second.outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect((env.store.stateOf('recon-2')?.outputs.report as Report).differences.map((d) => d.key)).toEqual(['USG-NOT-POSTED', 'USG-A']);
    // A reconciliation only reads.
    estate[SIM_OF[erp]].clearFaults(ERP_ACCOUNT[erp]);
    expect(JSON.stringify(estate[SIM_OF[erp]].records(built().graph.nodes.find((n) => n.id === 'ledger')!.config.recordType as string, ERP_ACCOUNT[erp]))).toBe(erpRecordsBefore);
  });

  it('suggests its nightly schedule and reports an empty period as such', async () => {
    expect(built().schedule).toEqual({ cron: '0 2 * * *', payload: {} });
    const { outcome } = await drive(env, built().graph, { period: '2025-01' }, 'recon-empty');
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(env.store.stateOf('recon-empty')?.outputs.report).toEqual({ period: '2025-01', chunks: 0, checked: 0, matched: 0, differences: [] });
  });
});
