import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRun } from '@switchyard/db';
import { applyFromDir, exportEstate, planFromDir } from '../src/index';
import { SEEDED_ENV, postgresUnavailable, readTree, scratchDatabase, seedEstate, tempDir, testKeyring, type ScratchDatabase } from './support';

// `apply` of an invalid estate changes nothing and lists every error with its file and path; the
// `switchyard` command reports the same on stderr with exit code 1.

const keyring = testKeyring();
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../bin/switchyard.mjs');
const run = promisify(execFile);

describe.skipIf(postgresUnavailable !== null)('an invalid estate', () => {
  let db: ScratchDatabase;
  const dirs: Array<{ remove(): Promise<void> }> = [];
  const dir = async () => {
    const d = await tempDir();
    dirs.push(d);
    return d.dir;
  };
  const edit = async (root: string, rel: string, change: (doc: Record<string, unknown>) => void) => {
    const file = path.join(root, rel);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    change(doc);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(doc, null, 2));
  };

  beforeAll(async () => {
    db = await scratchDatabase();
    await seedEstate(db.db, keyring);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([db?.drop(), ...dirs.map((d) => d.remove())]);
  });

  it('is refused whole, with every semantic error located by file and JSON path', async () => {
    const out = await dir();
    await exportEstate(db.db, keyring, out);
    const before = await readTree(out);
    const acme = 'tenants/acme';
    const wf = `${acme}/workflows/invoice-sync`;
    // One valid change among the errors: it must not be applied either.
    await edit(out, `${acme}/tenant.json`, (d) => ((d.name = 'Renamed'), (d.timeZone = 'Mars/Olympus_Mons')));
    await edit(out, `${acme}/policy.json`, (d) => ((d.policy as Record<string, unknown>).maxConcurrentRuns = 0));
    await edit(out, `${acme}/mappings/oracle-fusion.invoice.json`, (d) => (d.erp = 'oracle-ebs'));
    await edit(out, `${wf}/deployment.json`, (d) => ((d.schedules as Array<{ cron: string }>)[0]!.cron = 'every night'));
    await edit(out, `${wf}/versions/0002.json`, (d) => ((d.graph as { nodes: Array<{ label?: string }> }).nodes[0]!.label = 'Edited after publishing'));
    await edit(out, `${wf}/versions/0001.json`, (d) => {
      d.version = 3;
      (d.graph as { nodes: Array<{ kind: string }> }).nodes[1]!.kind = 'teleport.invoice';
    });
    await writeFile(path.join(out, `${wf}/versions/0003.json`), await readFile(path.join(out, `${wf}/versions/0001.json`)));
    await edit(out, `${wf}/versions/0001.json`, (d) => (d.version = 1));
    await edit(out, `${acme}/connections/fusion.json`, (d) => {
      d.name = 'Fusion EU';
      (d.config as Record<string, unknown>).authMethod = 'oauth2';
    });

    const beforeRows = await db.db.prisma.tenant.findMany({ select: { name: true, updatedAt: true } });
    const result = await applyFromDir(db.db, keyring, out, SEEDED_ENV);
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    const located = result.errors.map((e) => `${e.file} ${e.path}`);
    expect(located).toEqual(
      expect.arrayContaining([
        `${acme}/tenant.json timeZone`,
        `${acme}/policy.json policy.maxConcurrentRuns`,
        `${acme}/mappings/oracle-fusion.invoice.json erp`,
        `${wf}/deployment.json schedules[0].cron`,
        `${wf}/versions/0002.json graph`,
        `${acme}/connections/fusion.json credentials.clientId`,
        `${acme}/connections/fusion.json credentials.clientSecret`,
        `${acme}/connections/fusion.json config.tokenUrl`,
      ]),
    );
    expect(result.errors.find((e) => e.file === `${wf}/versions/0003.json`)?.message).toMatch(/teleport\.invoice/);
    expect(result.errors.find((e) => e.path === 'graph' && e.file.endsWith('0002.json'))?.message).toMatch(/immutable/);
    // The workflow that calls the renamed connection's old name is flagged too.
    expect(result.errors.some((e) => e.file.endsWith('0002.json') && e.path.endsWith('config.connectionId') && /"Fusion"/.test(e.message))).toBe(true);

    // Nothing changed: same rows, and an export still writes the original files.
    expect(await db.db.prisma.tenant.findMany({ select: { name: true, updatedAt: true } })).toEqual(beforeRows);
    const after = await dir();
    await exportEstate(db.db, keyring, after);
    expect(await readTree(after)).toEqual(before);
  });

  it('refuses to delete a workflow that has runs, naming it, and deletes nothing', async () => {
    const out = await dir();
    await exportEstate(db.db, keyring, out);
    const sync = await db.db.prisma.workflow.findFirstOrThrow({ where: { name: 'Invoice sync' }, select: { id: true, tenantId: true, activeVersionId: true } });
    await enqueueRun(db.db.pool, { tenantId: sync.tenantId, workflowId: sync.id, versionId: sync.activeVersionId!, trigger: 'webhook', correlationId: 'c-1', payload: { number: 'INV-1' } });
    await rm(path.join(out, 'tenants/acme/workflows/invoice-sync'), { recursive: true });
    await rm(path.join(out, 'tenants/acme/workflows/nightly-batch'), { recursive: true }); // it calls Invoice sync
    const result = await applyFromDir(db.db, keyring, out, {});
    expect(result).toEqual({
      status: 'invalid',
      errors: [{ file: 'tenants/acme/workflows', path: 'workflows/Invoice sync', message: expect.stringContaining('has runs and cannot be deleted') }],
    });
    expect(await db.db.prisma.workflow.count({ where: { tenantId: sync.tenantId } })).toBe(2);
  });

  it('lists every malformed file (bad JSON, unknown fields, wrong kinds) before looking any further', async () => {
    const out = await dir();
    await exportEstate(db.db, keyring, out);
    await writeFile(path.join(out, 'tenants/acme/policy.json'), '{ "kind": "TenantPolicy", "policy": { ');
    await edit(out, 'tenants/acme/tenant.json', (d) => (d.colour = 'blue'));
    await edit(out, 'tenants/acme/workflows/nightly-batch/deployment.json', (d) => (d.kind = 'Deploymnet'));
    await writeFile(path.join(out, 'tenants/acme/notes.txt'), 'hello');
    const result = await planFromDir(db.db, keyring, out, SEEDED_ENV);
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { file: 'tenants/acme/policy.json', path: '', message: expect.stringMatching(/^not valid JSON/) },
        { file: 'tenants/acme/tenant.json', path: '', message: 'unknown field(s): colour' },
        { file: 'tenants/acme/workflows/nightly-batch/deployment.json', path: 'kind', message: expect.stringContaining('Deployment') },
        { file: 'tenants/acme/notes.txt', path: '', message: expect.stringMatching(/unexpected/) },
      ]),
    );
  });

  it('the switchyard command: export, plan with no changes, apply refused with exit code 1 and the errors on stderr', async () => {
    const out = await dir();
    const env = { ...process.env, ...SEEDED_ENV, DATABASE_URL: db.url, SWITCHYARD_SECRET_KEY: keyring.current.key.toString('base64') };
    const exported = await run(process.execPath, [bin, 'export', '-o', out], { env });
    expect(exported.stdout).toMatch(/^Exported 15 files from the DATABASE_URL/);
    const planned = await run(process.execPath, [bin, 'plan', '-f', out], { env });
    expect(planned.stdout).toContain('No changes: the database matches the files.');

    await edit(out, 'tenants/acme/workflows/invoice-sync/deployment.json', (d) => (d.activeVersion = 9));
    const failed = await run(process.execPath, [bin, 'apply', '-f', out], { env }).then(
      () => null,
      (err: { code: number; stderr: string; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('The estate is invalid; nothing was changed. 1 error:');
    expect(failed?.stderr).toContain('tenants/acme/workflows/invoice-sync/deployment.json at activeVersion: version 9 has no file in versions/');

    const usage = await run(process.execPath, [bin, 'plan'], { env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(usage?.code).toBe(2);
    expect(usage?.stderr).toContain('plan needs -f <dir>');
  }, 60_000);
});
