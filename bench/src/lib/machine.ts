import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';

export interface Machine {
  cores: number;
  memoryGb: number;
  cpuModel: string;
  node: string;
  postgres: string;
}

export async function describeMachine(pool: pg.Pool): Promise<Machine> {
  const { rows } = await pool.query<{ v: string }>('SELECT current_setting(\'server_version\') AS v');
  return {
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    postgres: rows[0]?.v ?? 'unknown',
  };
}

/** Settings that decide commit cost, for the report's method section. */
export async function postgresSettings(pool: pg.Pool): Promise<Record<string, string>> {
  const names = ['synchronous_commit', 'fsync', 'wal_level', 'shared_buffers', 'max_connections', 'full_page_writes', 'commit_delay'];
  const { rows } = await pool.query<{ name: string; setting: string; unit: string | null }>(
    'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
    [names],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
}

function packageVersion(fromDir: string, name: string): string {
  try {
    const file = createRequire(path.join(fromDir, 'package.json')).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function git(repoRoot: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function describeVersions(repoRoot: string): Record<string, string> {
  const dirty = git(repoRoot, ['status', '--porcelain']);
  return {
    switchyard: `${git(repoRoot, ['rev-parse', '--short', 'HEAD'])}${dirty && dirty !== 'unknown' ? ' (uncommitted changes)' : ''}`,
    next: packageVersion(path.join(repoRoot, 'apps/web'), 'next'),
    react: packageVersion(path.join(repoRoot, 'apps/web'), 'react'),
    prismaClient: packageVersion(path.join(repoRoot, 'packages/db'), '@prisma/client'),
    pg: packageVersion(path.join(repoRoot, 'packages/db'), 'pg'),
    jsonata: packageVersion(path.join(repoRoot, 'packages/connectors'), 'jsonata'),
    pino: packageVersion(path.join(repoRoot, 'apps/worker'), 'pino'),
    autocannon: packageVersion(path.join(repoRoot, 'bench'), 'autocannon'),
    tsx: packageVersion(repoRoot, 'tsx'),
    pnpm: process.env.npm_config_user_agent?.match(/pnpm\/([\d.]+)/)?.[1] ?? 'unknown',
  };
}
