/**
 * Request bodies of the scenarios: a small order (~250 bytes of JSON), the size of a typical webhook
 * event. `[<id>]` is replaced by autocannon with a fresh id per request.
 */
export const ORDER_BODY = JSON.stringify({
  order: '[<id>]',
  customer: { id: 'C-1001', name: 'Bench Customer Ltd' },
  currency: 'EUR',
  lines: [
    { sku: 'SKU-1', qty: 2, price: 3.5 },
    { sku: 'SKU-2', qty: 1, price: 10 },
  ],
});

export const JSON_HEADERS_WITH_KEY = { 'content-type': 'application/json', 'idempotency-key': '[<id>]' };
