#!/usr/bin/env -S node --import tsx
/**
 * Starts the demo estate's simulators and prints their URLs:
 *   node --import tsx packages/erp-sim/src/cli.ts [--host 127.0.0.1] [--base-port 4100] [--seed 7]
 * With --base-port the simulators listen on consecutive ports (NetSuite first); otherwise on free ones.
 */
import { parseArgs } from 'node:util';
import { SIMULATOR_NAMES, startAllSimulators, type SimulatorName } from './estate';

const USAGE = 'usage: erp-sim [--host <ip>] [--base-port <port>] [--seed <int>] [--admin-token <token>]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function integer(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        'base-port': { type: 'string' },
        seed: { type: 'string' },
        'admin-token': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const basePort = integer(values['base-port'] as string | undefined, 'base-port', 1, 65535 - SIMULATOR_NAMES.length);
  const seed = integer(values.seed as string | undefined, 'seed', 0, 2 ** 31 - 1);
  const ports = basePort === undefined ? undefined : (Object.fromEntries(SIMULATOR_NAMES.map((n, i) => [n, basePort + i])) as Record<SimulatorName, number>);
  const estate = await startAllSimulators({
    ...(typeof values.host === 'string' ? { host: values.host } : {}),
    ...(ports ? { ports } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(typeof values['admin-token'] === 'string' ? { adminToken: values['admin-token'] } : {}),
  });
  const width = Math.max(...SIMULATOR_NAMES.map((n) => n.length));
  for (const name of SIMULATOR_NAMES) process.stdout.write(`${name.padEnd(width)}  ${estate.urls[name]}\n`);
  process.stdout.write('admin: POST <url>/__admin/faults | POST <url>/__admin/reset | GET <url>/__admin/records?kind=…\n');
  const stop = (): void => {
    void estate.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`erp-sim failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
