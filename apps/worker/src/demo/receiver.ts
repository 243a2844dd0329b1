import http from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * The "small local endpoint started with the product" that the demo workflow posts invoices to:
 * a stand-in ledger that stores each invoice once per Idempotency-Key, so a newcomer can see that
 * retries do not duplicate effects. (Protocol-faithful ERP simulators are packages/erp-sim's job.)
 */
export interface DemoReceiver {
  url: string;
  port: number;
  invoices: ReadonlyMap<string, StoredInvoice>;
  close(): Promise<void>;
}

interface StoredInvoice {
  id: string;
  idempotencyKey: string;
  correlationId: string | null;
  body: unknown;
  receivedAt: string;
}

const MAX_BODY = 1_000_000;

export async function startDemoReceiver(port: number, host = '127.0.0.1'): Promise<DemoReceiver> {
  const invoices = new Map<string, StoredInvoice>();
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/invoices') return send(200, [...invoices.values()]);
    if (req.method !== 'POST' || req.url !== '/invoices') return send(404, { error: 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: 'body must be JSON' });
      }
      const key = header(req, 'idempotency-key') ?? randomUUID();
      const existing = invoices.get(key);
      if (existing) return send(200, { id: existing.id, duplicate: true });
      const stored: StoredInvoice = {
        id: `LEDGER-${invoices.size + 1}`,
        idempotencyKey: key,
        correlationId: header(req, 'x-correlation-id'),
        body,
        receivedAt: new Date().toISOString(),
      };
      invoices.set(key, stored);
      send(201, { id: stored.id, duplicate: false });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    invoices,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

/**
 * The outbound allowlist with the demo ledger added: it listens on loopback, which the HTTP
 * connector refuses unless the platform allows it (`base` defaults to SWITCHYARD_OUTBOUND_ALLOWLIST).
 */
export function allowlistWithReceiver(receiver: Pick<DemoReceiver, 'url'>, base = process.env.SWITCHYARD_OUTBOUND_ALLOWLIST ?? ''): string {
  return [base, new URL(receiver.url).host].filter((entry) => entry.trim().length > 0).join(',');
}
