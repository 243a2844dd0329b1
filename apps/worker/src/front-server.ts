import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createIngressHandler } from '@switchyard/api';
import type { Database } from '@switchyard/db';

/**
 * The public port of a production host: webhook deliveries (`POST /api/hooks/…`) are accepted right
 * here, on a plain node:http server, and every other request (pages, tRPC, the other API routes) is
 * proxied to the Next.js server listening on a loopback port. Ingress is the one path that must carry
 * thousands of requests per second; through Next.js each one cost several times the CPU
 * (docs/architecture.md, "Ingress"). Both paths call the same `handleWebhook`.
 */

export interface FrontServerOptions {
  port: number;
  host?: string;
  /** Where Next.js listens (loopback). */
  nextPort: number;
  database: Database;
  onError?: (error: unknown) => void;
}

export interface FrontServer {
  url: string;
  close(): Promise<void>;
}

// Hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1), never forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function forwardedHeaders(req: IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${client}` : client;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-host'] ??= req.headers.host ?? '';
  return headers;
}

export async function startFrontServer(options: FrontServerOptions): Promise<FrontServer> {
  const host = options.host ?? '127.0.0.1';
  // Keep-alive to Next.js: a new loopback connection per proxied request would cost a handshake each.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const ingress = createIngressHandler({ database: () => Promise.resolve(options.database), onError: options.onError });

  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: options.nextPort, method: req.method, path: req.url, headers: forwardedHeaders(req), agent },
      (answer) => {
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      options.onError?.(error);
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The web app is not answering yet (starting or restarting); try again in a moment.\n');
      } else res.destroy();
    });
    req.pipe(upstream);
  };

  const server = http.createServer((req, res) => {
    if (!ingress(req, res)) proxy(req, res);
  });
  // Next.js dev tools and any websocket route: tunnel upgrades through unchanged.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const upstream = http.request({ host: '127.0.0.1', port: options.nextPort, method: req.method, path: req.url, headers: req.headers });
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('error', () => upstreamSocket.destroy());
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  });
  // Idle keep-alive connections of load generators and browsers must not hold shutdown.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
