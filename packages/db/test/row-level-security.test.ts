import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, asPlatform, inTransaction, migrate, openDatabase, withTenant, type Database } from '../src/index';
import type * as TenantScope from '../src/tenant-scope';
import { backends, publishWorkflow, queueMany, type TestDatabase } from './support';

/**
 * Tenant isolation in depth: the app role under row-level security, on both backends. The owner
 * connection seeds two tenants; the app connection must see and change only what its scope allows.
 */

type Ids = { tenantId: string; workflowId: string; versionId: string };

/** Every table of the public schema with a tenant_id column, with its RLS state. */
async function tenantTables(owner: Database) {
  const { rows } = await owner.pool.query<{ table: string; enabled: boolean; forced: boolean; policies: number; owner: string }>(
    `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
            (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
            pg_get_userbyid(c.relowner) AS owner
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM information_schema.columns col
                     WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'tenant_id')
      ORDER BY c.relname`,
  );
  return rows;
}

for (const backend of backends) {
  describe.skipIf(Boolean(backend.skipReason))(`row-level security (${backend.name})${backend.skipReason ? ` — ${backend.skipReason}` : ''}`, () => {
    let target: TestDatabase;
    let owner: Database;
    let app: Database;
    let a: Ids;
    let b: Ids;

    beforeAll(async () => {
      target = await backend.create();
      await migrate(target.url);
      owner = await openDatabase({ url: target.url, kind: backend.name, poolMax: 2 });
      // One connection, so that scoped and unscoped statements share it (a leak would show).
      app = await openDatabase({ url: target.url, kind: backend.name, poolMax: 1, role: 'app' });
      a = await publishWorkflow(owner);
      b = await publishWorkflow(owner);
      await queueMany(owner, a, 3);
      await queueMany(owner, b, 2);
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await owner?.close();
      await target?.teardown();
    });

    it('protects every table with a tenant_id column: RLS enabled, forced, with a policy', async () => {
      const tables = await tenantTables(owner);
      expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['runs', 'steps', 'workflows', 'connections', 'api_keys', 'audit_log']));
      const unprotected = tables.filter((t) => !t.enabled || !t.forced || t.policies === 0).map((t) => t.table);
      expect(unprotected, 'tables with a tenant_id but without forced RLS and a policy').toEqual([]);
      // The app role owns none of them (owners skip RLS unless forced; keep both guards).
      expect(tables.filter((t) => t.owner === APP_ROLE)).toEqual([]);
    });

    it('runs every statement as a role that is neither superuser nor BYPASSRLS', async () => {
      const { rows } = await app.pool.query<{ role: string; super: boolean; bypass: boolean }>(
        `SELECT current_user AS role, r.rolsuper AS super, r.rolbypassrls AS bypass FROM pg_roles r WHERE r.rolname = current_user`,
      );
      expect(rows).toEqual([{ role: APP_ROLE, super: false, bypass: false }]);
      const viaPrisma = await app.prisma.$queryRawUnsafe<Array<{ role: string }>>('SELECT current_user AS role');
      expect(viaPrisma).toEqual([{ role: APP_ROLE }]);
    });

    it('sees nothing in any tenant table when no tenant is set (fails closed)', async () => {
      const tables = await tenantTables(owner);
      const seeded = await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
      expect(seeded.rows[0]!.n).toBe(5);
      for (const { table } of tables) {
        const { rows } = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
        expect(rows[0]!.n, table).toBe(0);
      }
      expect(await app.prisma.run.count()).toBe(0);
      expect(await app.prisma.workflow.findMany()).toEqual([]);
      // Even naming the tenant in the query does not help without the scope.
      expect((await app.pool.query('SELECT id FROM workflows WHERE tenant_id = $1', [a.tenantId])).rowCount).toBe(0);
    });

    it('refuses writes when no tenant is set', async () => {
      await expect(
        app.pool.query(`INSERT INTO workflows (id, tenant_id, name, draft_graph, updated_at) VALUES ($1, $2, 'x', '{}', now())`, [randomUUID(), a.tenantId]),
      ).rejects.toThrow(/row-level security/);
      expect((await app.pool.query(`UPDATE runs SET priority = 9 WHERE tenant_id = $1`, [a.tenantId])).rowCount).toBe(0);
      expect((await app.pool.query(`DELETE FROM runs`)).rowCount).toBe(0);
      expect((await owner.pool.query('SELECT count(*)::int AS n FROM runs WHERE priority = 9')).rows[0].n).toBe(0);
    });

    it('shows one tenant its own rows only, through pg and Prisma', async () => {
      await withTenant(a.tenantId, async () => {
        const runs = await app.pool.query<{ tenant_id: string }>('SELECT tenant_id FROM runs');
        expect(runs.rows.map((r) => r.tenant_id)).toEqual([a.tenantId, a.tenantId, a.tenantId]);
        expect(await app.prisma.run.count()).toBe(3);
        expect(await app.prisma.run.count({ where: { tenantId: b.tenantId } })).toBe(0);
        expect(await app.prisma.workflow.findUnique({ where: { id: b.workflowId } })).toBeNull();
        expect((await app.prisma.workflow.findMany()).map((w) => w.id)).toEqual([a.workflowId]);
      });
      await withTenant(b.tenantId, async () => {
        expect(await app.prisma.run.count()).toBe(2);
      });
    });

    it('refuses writes into another tenant, including moving a row there', async () => {
      await withTenant(a.tenantId, async () => {
        await expect(
          app.pool.query(`INSERT INTO workflows (id, tenant_id, name, draft_graph, updated_at) VALUES ($1, $2, 'planted', '{}', now())`, [randomUUID(), b.tenantId]),
        ).rejects.toThrow(/row-level security/);
        await expect(app.prisma.workflow.create({ data: { tenantId: b.tenantId, name: 'planted', draftGraph: {} } })).rejects.toThrow(/row-level security|denied/i);
        await expect(app.pool.query('UPDATE workflows SET tenant_id = $1 WHERE id = $2', [b.tenantId, a.workflowId])).rejects.toThrow(/row-level security/);
        expect((await app.pool.query(`UPDATE workflows SET name = 'hijacked' WHERE id = $1`, [b.workflowId])).rowCount).toBe(0);
        expect((await app.pool.query('DELETE FROM runs WHERE tenant_id = $1', [b.tenantId])).rowCount).toBe(0);
        // Its own tenant's writes go through.
        expect((await app.pool.query(`UPDATE workflows SET name = 'renamed' WHERE id = $1`, [a.workflowId])).rowCount).toBe(1);
      });
      const { rows } = await owner.pool.query<{ name: string }>('SELECT name FROM workflows WHERE tenant_id = $1', [b.tenantId]);
      expect(rows.map((r) => r.name)).toEqual(['wf']);
      expect((await owner.pool.query("SELECT count(*)::int AS n FROM workflows WHERE name = 'planted'")).rows[0].n).toBe(0);
      expect((await owner.pool.query('SELECT count(*)::int AS n FROM runs WHERE tenant_id = $1', [b.tenantId])).rows[0].n).toBe(2);
    });

    it('keeps the tenant to its transaction: the same pooled connection sees nothing afterwards', async () => {
      const inside = await withTenant(a.tenantId, () =>
        inTransaction(app.pool, async (client) => {
          const first = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
          const setting = await client.query<{ t: string }>(`SELECT current_setting('app.tenant_id', true) AS t`);
          return { runs: first.rows[0]!.n, tenant: setting.rows[0]!.t };
        }),
      );
      expect(inside).toEqual({ runs: 3, tenant: a.tenantId });
      await withTenant(a.tenantId, () => app.prisma.$transaction(async (tx) => expect(await tx.run.count()).toBe(3)));
      // The scope goes in without a snapshot, so a transaction can still pick its isolation level.
      const serializable = await withTenant(b.tenantId, () =>
        app.prisma.$transaction(async (tx) => ({
          runs: await tx.run.count(),
          level: (await tx.$queryRawUnsafe<Array<{ level: string }>>(`SELECT current_setting('transaction_isolation') AS level`))[0]!.level,
        }), { isolationLevel: 'Serializable' }),
      );
      expect(serializable).toEqual({ runs: 2, level: 'serializable' });
      const repeatable = await withTenant(a.tenantId, () =>
        inTransaction(app.pool, async (client) => {
          await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0]!.n;
        }),
      );
      expect(repeatable).toBe(3);
      // poolMax is 1: this is the very connection used above.
      const after = await app.pool.query<{ t: string | null; n: number }>(
        `SELECT current_setting('app.tenant_id', true) AS t, (SELECT count(*)::int FROM runs) AS n`,
      );
      expect(after.rows[0]).toEqual({ t: '', n: 0 });
    });

    it('gives each caller its own scope while they wait for one pooled connection', async () => {
      const seen = await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          const ids = i % 2 === 0 ? a : b;
          return withTenant(ids.tenantId, async () => {
            const { rows } = await app.pool.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM runs');
            return { expected: ids.tenantId, got: rows.map((r) => r.tenant_id) };
          });
        }),
      );
      for (const { expected, got } of seen) expect(got).toEqual([expected]);
    });

    it('shares one scope between copies of the module, as Next.js bundles it into several chunks', async () => {
      // A second instance of tenant-scope.ts (another module id), like a second server chunk: the
      // pool was made by the first copy, the scope is opened by the second.
      // @ts-expect-error -- the query suffix makes a second module instance, which TypeScript cannot resolve.
      const copy = (await import('../src/tenant-scope?second-chunk')) as typeof TenantScope;
      expect(copy.withTenant).not.toBe(withTenant);
      expect(await copy.withTenant(a.tenantId, () => app.prisma.run.count())).toBe(3);
      expect(await copy.withTenant(b.tenantId, () => app.pool.query('SELECT count(*)::int AS n FROM runs'))).toMatchObject({ rows: [{ n: 2 }] });
    });

    it('opens all tenants only in a named platform scope', async () => {
      expect(await asPlatform('dispatch', () => app.prisma.run.count())).toBe(5);
      const { rows } = await asPlatform('retention', () =>
        app.pool.query<{ reason: string }>(`SELECT current_setting('app.platform_reason', true) AS reason`),
      );
      expect(rows).toEqual([{ reason: 'retention' }]);
      expect(() => asPlatform('anything' as never, () => 1)).toThrow(/unknown platform reason/);
      expect(() => withTenant('not-a-uuid', () => 1)).toThrow(/tenantId must be a UUID/);
    });

    it('reports statement errors as before and keeps the connection usable', async () => {
      await expect(withTenant(a.tenantId, () => app.pool.query('SELECT * FROM no_such_table WHERE x = $1', [1]))).rejects.toThrow(/no_such_table/);
      await expect(app.pool.query('SELEC 1')).rejects.toThrow(/syntax error/);
      expect((await withTenant(a.tenantId, () => app.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM runs'))).rows[0]!.n).toBe(3);
    });
  });
}
