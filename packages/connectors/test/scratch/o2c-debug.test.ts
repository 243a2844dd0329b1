import { sampleSalesOrder } from '@switchyard/canonical';
import { it } from 'vitest';
import { orderToCashTemplate } from '../../src/templates/order-to-cash';
import { startEstate } from '../erp/support';
import { drive } from '../templates/engine-driver';
import { connectionsFor, engineEnv, tenantOverlay } from '../templates/support';

it('debug', async () => {
  const estate = await startEstate();
  const env = engineEnv(connectionsFor(estate, 'netsuite'));
  const graph = orderToCashTemplate.build({ erp: 'netsuite', connectionId: 'erp', backOfficeConnectionId: 'back-office', overlay: tenantOverlay('netsuite') }).graph;
  const r = await drive(env, graph, sampleSalesOrder(), 'x');
  console.log(JSON.stringify(r.outcome));
  for (const s of env.store.steps('x')) console.log(s.nodeId, s.status, JSON.stringify(s.error ?? '').slice(0, 400));
  console.log(JSON.stringify(env.store.latest('x')?.error));
  await estate.close();
});
