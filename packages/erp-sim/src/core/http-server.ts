import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Vendors cap request bodies too; 5 MB is far above anything a test or the demo sends. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** How long an injected timeout holds the connection before the simulator gives up on it. */
export const HANG_MS = 60_000;

export interface SimRequest {
  method: string;
  /** Parsed URL; `url.pathname` keeps the percent-encoding the client sent. */
  url: URL;
  /** The path exactly as sent on the wire (no query), needed for OAuth 1.0a base strings. */
  rawPath: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `http://host:port` as the client addressed the server (from the Host header). */
  origin: string;
}

export type Headers = Record<string, string | string[]>;

/** Wraps a node response so that injected faults (lost responses, hangs) apply to every sender. */
export class SimResponse {
  /** Set by fault injection: do the work, then drop the connection instead of answering. */
  lose = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onHang: (socket: Socket) => void,
  ) {}

  get finished(): boolean {
    return this.res.headersSent || this.res.writableEnded || this.res.destroyed;
  }

  /** JSON for objects and arrays, text for strings, no body for undefined. */
  send(status: number, body?: unknown, headers: Headers = {}): void {
    if (this.finished) return;
    if (this.lose) {
      this.res.socket?.destroy();
      return;
    }
    let payload: string | undefined;
    const out: Headers = { ...headers };
    if (typeof body === 'string') {
      payload = body;
      out['Content-Type'] ??= 'text/plain; charset=utf-8';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      out['Content-Type'] ??= 'application/json; charset=utf-8';
    }
    if (payload !== undefined) out['Content-Length'] = String(Buffer.byteLength(payload));
    this.res.writeHead(status, out);
    this.res.end(payload);
  }

  /** Never answer: the client sees a timeout. The socket is destroyed after HANG_MS or on close. */
  hang(): void {
    const socket = this.res.socket;
    if (socket) this.onHang(socket);
  }

  /** Runs once the response is done or the connection is gone (for in-flight accounting). */
  onClose(listener: () => void): void {
    this.res.once('close', listener);
  }
}

export type SimHandler = (req: SimRequest, res: SimResponse) => Promise<void>;

export interface StartedServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(handler: SimHandler, opts: { host?: string; port?: number; name: string }): Promise<StartedServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const hangTimers = new Set<NodeJS.Timeout>();
  const onHang = (socket: Socket): void => {
    const timer = setTimeout(() => {
      hangTimers.delete(timer);
      socket.destroy();
    }, HANG_MS);
    timer.unref();
    hangTimers.add(timer);
  };

  const server = createServer((req, res) => {
    void readBody(req)
      .then(async (body) => {
        const simReq = toSimRequest(req, body, host);
        await handler(simReq, new SimResponse(res, onHang));
      })
      .catch((err: unknown) => {
        if (res.headersSent || res.destroyed) return;
        const tooLarge = err instanceof BodyTooLargeError;
        const message = tooLarge ? err.message : `${opts.name} simulator failed: ${err instanceof Error ? err.message : String(err)}`;
        res.writeHead(tooLarge ? 413 : 500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(message);
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of hangTimers) clearTimeout(t);
        hangTimers.clear();
        server.close(() => resolve());
        // Keep-alive and hung connections would otherwise hold close() open.
        for (const s of sockets) s.destroy();
      }),
  };
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toSimRequest(req: IncomingMessage, body: string, fallbackHost: string): SimRequest {
  const rawUrl = req.url ?? '/';
  const hostHeader = req.headers.host ?? fallbackHost;
  const origin = `http://${hostHeader}`;
  const q = rawUrl.indexOf('?');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: new URL(rawUrl, origin),
    rawPath: q === -1 ? rawUrl : rawUrl.slice(0, q),
    headers: req.headers,
    body,
    origin,
  };
}

/** First value of a header, whatever node made of it. */
export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses a JSON body; undefined for an empty body, a SyntaxError message for a broken one. */
export function parseJsonBody(req: SimRequest): { ok: true; value: unknown } | { ok: false; message: string } {
  if (req.body.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(req.body) as unknown };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : 'invalid JSON' };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a JSON path (as zod reports paths), or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((acc, key) => (acc !== null && typeof acc === 'object' ? (acc as Record<PropertyKey, unknown>)[key] : undefined), root);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
