import { z } from 'zod';
import type { RecordData, RecordStore, StoredRecord } from '../core/record-store';
import type { VendorReply } from '../core/sim-kit';
import { boError, crud, getOne, list, newId, present, readBody, send, type BackOfficeAccountConfig, type BoCtx, type ResourceDef } from './common';

const fulfillmentOrders: ResourceDef = {
  kind: 'fulfillmentOrders',
  object: 'fulfillment_order',
  idPrefix: 'fo',
  createSchema: z.object({
    orderRef: z.string().min(1),
    lines: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive(), description: z.string().optional() })).min(1),
    shipTo: z
      .object({ name: z.string().min(1), line1: z.string().min(1), city: z.string().min(1), postalCode: z.string().optional(), country: z.string().length(2) })
      .optional(),
    externalId: z.string().min(1).optional(),
  }),
  filters: ['status', 'orderRef', 'externalId'],
};

const shipments: ResourceDef = {
  kind: 'shipments',
  object: 'shipment',
  idPrefix: 'shp',
  createSchema: z.object({ carrier: z.string().min(1), trackingNumber: z.string().min(1), shippedAt: z.iso.datetime().optional() }),
  filters: ['fulfillmentOrderId', 'trackingNumber'],
};

export interface WebhookDelivery {
  account: string;
  url: string;
  event: string;
  status: number | 'failed';
  error?: string;
}

/**
 * The warehouse keeps stock per account (reserved on acceptance, released on cancel) and can ship
 * by itself after a delay, announcing it with a webhook, to play the asynchronous leg of order-to-cash.
 */
export class Warehouse {
  private stock = new Map<string, Map<string, number>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly deliveries: WebhookDelivery[] = [];

  constructor(
    private readonly configs: Map<string, BackOfficeAccountConfig>,
    private readonly now: () => number,
  ) {}

  reset(account?: string): void {
    if (account === undefined) this.stock = new Map();
    else this.stock.delete(account);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private available(account: string): Map<string, number> {
    let s = this.stock.get(account);
    if (!s) {
      s = new Map(Object.entries(this.configs.get(account)?.inventory ?? {}));
      this.stock.set(account, s);
    }
    return s;
  }

  /** `/warehouse/v1/fulfillment-orders[/{id}[/cancel|/shipments]]` and `/warehouse/v1/shipments[/{id}]`. */
  handle(ctx: BoCtx, rest: string[]): void {
    const [collection, id, action, extra] = rest;
    const unknown = (): void => send(ctx.res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${ctx.req.url.pathname}`));
    if (extra !== undefined) return unknown();
    if (collection === 'shipments') return action === undefined && (ctx.req.method === 'GET' || id !== undefined) ? crud(ctx, shipments, id) : unknown();
    if (collection !== 'fulfillment-orders') return unknown();
    if (id === undefined && ctx.req.method === 'POST') return this.accept(ctx);
    if (action === undefined) return crud(ctx, fulfillmentOrders, id);
    const order = getOne(ctx, fulfillmentOrders, id as string);
    if (!order) return;
    if (action === 'cancel' && ctx.req.method === 'POST') return this.cancel(ctx, order);
    if (action === 'shipments' && ctx.req.method === 'GET') return list(ctx, shipments, (s) => s.data.fulfillmentOrderId === order.id);
    if (action === 'shipments' && ctx.req.method === 'POST') {
      const body = readBody(ctx, shipments.createSchema);
      if (!body) return;
      const result = this.ship(ctx.kit.store, ctx.account, order, body);
      if ('error' in result) return send(ctx.res, result.error);
      return ctx.res.send(result.created ? 201 : 200, present(shipments, result.shipment));
    }
    unknown();
  }

  private accept(ctx: BoCtx): void {
    const body = readBody(ctx, fulfillmentOrders.createSchema);
    if (!body) return;
    const { store } = ctx.kit;
    const dup = store.find(ctx.account, fulfillmentOrders.kind, (r) => r.data.orderRef === body.orderRef);
    if (dup) {
      return ctx.res.send(409, {
        error: {
          type: 'invalid_request_error',
          code: 'duplicate_order_ref',
          message: `A fulfillment order for orderRef '${String(body.orderRef)}' already exists: ${dup.id}.`,
          param: 'orderRef',
          existingId: dup.id,
        },
      });
    }
    const stock = this.available(ctx.account);
    const lines = body.lines as Array<{ sku: string; quantity: number }>;
    for (const [i, line] of lines.entries()) {
      const have = stock.get(line.sku);
      if (have !== undefined && have < line.quantity) {
        return send(
          ctx.res,
          boError(
            422,
            'invalid_request_error',
            'insufficient_stock',
            `Insufficient stock for SKU ${line.sku}: ${have} available, ${line.quantity} requested.`,
            `lines[${i}].quantity`,
          ),
        );
      }
    }
    for (const line of lines) if (stock.has(line.sku)) stock.set(line.sku, (stock.get(line.sku) as number) - line.quantity);
    const rec = store.insert(ctx.account, fulfillmentOrders.kind, newId(fulfillmentOrders.idPrefix), { ...body, status: 'accepted' });
    ctx.res.send(201, present(fulfillmentOrders, rec));
    const delay = ctx.config.autoShipAfterMs;
    if (delay !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const current = store.get(ctx.account, fulfillmentOrders.kind, rec.id);
        if (current) this.ship(store, ctx.account, current, { carrier: 'SIMPOST', trackingNumber: `SIM${rec.id.slice(-8).toUpperCase()}` });
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }

  private cancel(ctx: BoCtx, order: StoredRecord): void {
    if (order.data.status === 'shipped')
      return send(ctx.res, boError(409, 'invalid_request_error', 'invalid_state', `Fulfillment order ${order.id} has shipped and cannot be cancelled.`));
    if (order.data.status !== 'cancelled') {
      const stock = this.available(ctx.account);
      for (const line of order.data.lines as Array<{ sku: string; quantity: number }>)
        if (stock.has(line.sku)) stock.set(line.sku, (stock.get(line.sku) as number) + line.quantity);
    }
    const saved = ctx.kit.store.replace(ctx.account, fulfillmentOrders.kind, order.id, { ...order.data, status: 'cancelled' });
    if (saved) ctx.res.send(200, present(fulfillmentOrders, saved));
  }

  /** Confirms a shipment once per tracking number; a repeated confirmation returns the first. */
  private ship(
    store: RecordStore,
    account: string,
    order: StoredRecord,
    body: RecordData,
  ): { error: VendorReply } | { shipment: StoredRecord; created: boolean } {
    const same = store.find(account, shipments.kind, (s) => s.data.fulfillmentOrderId === order.id && s.data.trackingNumber === body.trackingNumber);
    if (same) return { shipment: same, created: false };
    if (order.data.status === 'cancelled')
      return { error: boError(409, 'invalid_request_error', 'invalid_state', `Fulfillment order ${order.id} is cancelled and cannot ship.`) };
    const shipment = store.insert(account, shipments.kind, newId(shipments.idPrefix), {
      fulfillmentOrderId: order.id,
      orderRef: order.data.orderRef,
      carrier: body.carrier,
      trackingNumber: body.trackingNumber,
      shippedAt: body.shippedAt ?? new Date(this.now()).toISOString(),
      lines: order.data.lines,
    });
    const updated = store.replace(account, fulfillmentOrders.kind, order.id, { ...order.data, status: 'shipped' }) as StoredRecord;
    void this.notify(account, 'fulfillment_order.shipped', { fulfillmentOrder: present(fulfillmentOrders, updated), shipment: present(shipments, shipment) });
    return { shipment, created: true };
  }

  private async notify(account: string, event: string, data: RecordData): Promise<void> {
    const url = this.configs.get(account)?.webhookUrl;
    if (!url) return;
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: event, account, createdAt: new Date(this.now()).toISOString(), data }),
        signal: AbortSignal.timeout(5000),
      });
      await r.arrayBuffer();
      this.deliveries.push({ account, url, event, status: r.status });
    } catch (err) {
      this.deliveries.push({ account, url, event, status: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  }
}
