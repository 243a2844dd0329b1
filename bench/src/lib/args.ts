import { parseArgs } from 'node:util';

export interface BenchArgs {
  smoke: boolean;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** Build apps/web first: default for full runs; smoke runs reuse an existing build. */
  build: boolean | 'if-missing';
}

export const USAGE = `Usage: pnpm bench [--smoke] [--only name,name] [--build | --no-build]
  --smoke      every scenario at tiny size; report to bench/.tmp/ (CI)
  --only       run these scenarios only: ${'${names}'}
  --build      build apps/web before starting it (default for full runs)
  --no-build   use the existing apps/web build (default for --smoke; builds if there is none)
Environment: BENCH_PG_URL (server to create the disposable database on; default postgres://postgres@127.0.0.1:5432/postgres);
  BENCH_WEB_DIR (an apps/web folder whose production build to benchmark instead of building this one).
DATABASE_URL must not be set: the benchmark never runs against a database it did not create.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseBenchArgs(argv: string[], scenarioNames: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        smoke: { type: 'boolean', default: false },
        only: { type: 'string' },
        build: { type: 'boolean' },
        'no-build': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE.replace('${names}', scenarioNames.join(', '))}`);
  }
  const { values } = parsed;
  if (values.help) throw new UsageError(USAGE.replace('${names}', scenarioNames.join(', ')));
  if (values.build && values['no-build']) throw new UsageError('--build and --no-build contradict each other; pass one of them.');
  const only = (values.only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !scenarioNames.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`--only: unknown scenario ${unknown.map((u) => JSON.stringify(u)).join(', ')}; choose from ${scenarioNames.join(', ')}.`);
  }
  const build = values.build ? true : values['no-build'] ? 'if-missing' : values.smoke ? 'if-missing' : true;
  return { smoke: values.smoke ?? false, only, build };
}
