import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * All configuration of the worker and the embedded host, read and validated in one place.
 * A bad value stops start-up with a message that names the variable and what to set.
 */
export interface WorkerEnv {
  databaseUrl: string | undefined;
  port: number;
  demoReceiverPort: number;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  logLevel: string;
  workerId: string;
  /** Event brokers (optional): SWITCHYARD_NATS_URL, SWITCHYARD_AMQP_URL. */
  natsUrl: string | undefined;
  amqpUrl: string | undefined;
  /** File adapters' root folder (SWITCHYARD_FILE_ROOT): watched inbound folders and outbound files per tenant. */
  fileRoot: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not valid: set it to a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function readWorkerEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL (postgres://user:pass@host:5432/db); unset it to use the embedded database.');
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL=${logLevel} is not valid: use one of fatal, error, warn, info, debug, trace, silent.`);
  }
  return {
    databaseUrl,
    port: intVar(env, 'PORT', 3000, 1, 65535),
    demoReceiverPort: intVar(env, 'DEMO_RECEIVER_PORT', 4010, 0, 65535),
    concurrency: intVar(env, 'WORKER_CONCURRENCY', 16, 1, 1000),
    leaseMs: intVar(env, 'WORKER_LEASE_MS', 15_000, 1000, 600_000),
    pollMs: intVar(env, 'WORKER_POLL_MS', 500, 10, 60_000),
    logLevel,
    workerId: env.WORKER_ID ?? `worker-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    natsUrl: env.SWITCHYARD_NATS_URL?.trim() || undefined,
    amqpUrl: brokerUrl(env, 'SWITCHYARD_AMQP_URL', /^amqps?:\/\//, 'amqp://user:pass@host:5672'),
    fileRoot: fileRootOf(env),
  };
}

function brokerUrl(env: NodeJS.ProcessEnv, name: string, pattern: RegExp, example: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!pattern.test(raw)) throw new ConfigError(`${name} is not valid: set it to a URL like ${example}, or unset it.`);
  return raw;
}

function fileRootOf(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.SWITCHYARD_FILE_ROOT?.trim();
  if (!raw) return undefined;
  if (!path.isAbsolute(raw)) throw new ConfigError(`SWITCHYARD_FILE_ROOT=${JSON.stringify(raw)} is not valid: set it to an absolute folder path, or unset it.`);
  return raw;
}
