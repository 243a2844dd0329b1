import { connect as tcpConnect } from 'node:net';

export const NATS_URL = process.env.SWITCHYARD_TEST_NATS_URL ?? '127.0.0.1:4222';
export const AMQP_URL = process.env.SWITCHYARD_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Whether something listens at host:port; when not, the reason is printed so a skip is visible. */
export async function reachable(what: string, hostPort: string): Promise<boolean> {
  const url = new URL(hostPort.includes('://') ? hostPort : `tcp://${hostPort}`);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = tcpConnect({ host: url.hostname, port: Number(url.port), timeout: 1500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!ok) {
    if (process.env.SWITCHYARD_REQUIRE_BROKERS === '1') throw new Error(`${what} is required but nothing answers at ${hostPort}`);
    console.warn(`skipping ${what} tests: nothing answers at ${hostPort} (start it, see .ci/run)`);
  }
  return ok;
}

/** Resolves once `predicate` holds, polling; rejects with `what` after `ms`. */
export async function eventually(what: string, predicate: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
