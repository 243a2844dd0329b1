/**
 * The loopback receiver that benchmark workflows call: `POST /sink` answers 200 at once,
 * `POST /sink?delayMs=100` after that many milliseconds (the scale-out scenario's slow partner).
 * It counts requests by Idempotency-Key, so the harness can check that every run called it and
 * that retries did not duplicate effects. `GET /stats` reports the counts; `POST /reset` clears them.
 * Runs as its own process so its CPU shows up separately from the worker's and the web server's.
 */
import http from 'node:http';

const seen = new Map<string, number>();
let requests = 0;
let withoutKey = 0;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://receiver');
  if (req.method === 'GET' && url.pathname === '/stats') {
    let duplicates = 0;
    for (const n of seen.values()) duplicates += n - 1;
    return send(res, 200, { requests, unique: seen.size, duplicates, withoutKey });
  }
  if (req.method === 'POST' && url.pathname === '/reset') {
    seen.clear();
    requests = 0;
    withoutKey = 0;
    return send(res, 200, { ok: true });
  }
  if (req.method !== 'POST' || url.pathname !== '/sink') return send(res, 404, { error: 'not found' });
  const delayMs = Number(url.searchParams.get('delayMs') ?? 0);
  req.resume();
  req.on('end', () => {
    requests += 1;
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string' && key) seen.set(key, (seen.get(key) ?? 0) + 1);
    else withoutKey += 1;
    const answer = () => send(res, 200, { ok: true, n: requests });
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;

const portArg = process.argv.indexOf('--port');
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
