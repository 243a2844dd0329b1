import { parseArgs } from 'node:util';
import { applyFromDir, exportEstate, planFromDir } from './estate/commands';
import { openEstateDatabase } from './estate/database';
import { formatErrors, formatPlan } from './estate/format';

const USAGE = `Usage:
  switchyard export -o <dir> [--tenant <slug> …]   write the estate to plain files (no secrets)
  switchyard plan -f <dir> [--prune] [--json]       show what apply would change
  switchyard apply -f <dir> [--prune] [--json]      apply the files in one transaction

The database is DATABASE_URL, or the embedded database (SWITCHYARD_DATA_DIR, default ./.data).
Secrets are read from the environment variables the files name (secretRef).
--prune also deletes tenants that are in the database but not in the files.`;

/** Exit codes: 0 done (plan: no changes or changes shown), 1 invalid estate, 2 usage or setup error. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string', short: 'o' },
      file: { type: 'string', short: 'f' },
      tenant: { type: 'string', multiple: true },
      prune: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || !command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'export' && !values.out) throw new UsageError('export needs -o <dir>');
  if ((command === 'plan' || command === 'apply') && !values.file) throw new UsageError(`${command} needs -f <dir>`);
  if (!['export', 'plan', 'apply'].includes(command)) throw new UsageError(`unknown command "${command}"`);

  const estate = await openEstateDatabase(process.env, { migrate: command === 'apply' });
  try {
    if (command === 'export') {
      const files = await exportEstate(estate.db, estate.keyring, values.out!, { tenants: values.tenant });
      console.log(`Exported ${files.length} files from the ${estate.describe} to ${values.out}.`);
      return 0;
    }
    const options = { prune: values.prune };
    const result = command === 'plan' ? await planFromDir(estate.db, estate.keyring, values.file!, process.env, options) : await applyFromDir(estate.db, estate.keyring, values.file!, process.env, options);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    if (result.status === 'invalid') {
      if (!values.json) console.error(formatErrors(result.errors));
      return 1;
    }
    if (!values.json) {
      console.log(formatPlan(result.plan, options));
      if (command === 'apply') console.log(result.plan.changes.length === 0 ? 'Nothing to apply.' : `Applied to the ${estate.describe}.`);
    }
    return 0;
  } finally {
    await estate.close();
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n\n${USAGE}`);
    } else {
      console.error(`switchyard: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.exitCode = 2;
  },
);
