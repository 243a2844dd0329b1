import { NodeExecutionError, type ExecutorContext, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { requireConnection, type ParsedConnection } from '../erp/common/record-executor';
import { evaluateNodeExpression, type ExpressionBudget } from '../kinds/expression-budget';
import { mysqlConnection, postgresConnection, sqlPollTrigger, sqlQuery, sqlUpsert, type SqlSystem } from './kinds';
import { sqlError, type SqlPools } from './sql-client';

const permanent = (code: string, message: string) => new NodeExecutionError(message, { code, retryable: false });

/** The tenant's database connection, whichever of the two systems it is. */
export async function sqlConnection(ctx: ExecutorContext, nameOrId: string): Promise<{ system: SqlSystem; connection: ParsedConnection }> {
  const found = await ctx.connections?.get(nameOrId);
  const system: SqlSystem = found?.kind === 'mysql' ? 'mysql' : 'postgres';
  if (found && found.kind !== 'postgres' && found.kind !== 'mysql') {
    throw permanent('connection_kind_mismatch', `connection ${JSON.stringify(found.name)} is a ${found.kind} connection, not a database`);
  }
  return { system, connection: await requireConnection(ctx, nameOrId, system === 'mysql' ? mysqlConnection : postgresConnection) };
}

const quote = (system: SqlSystem, identifier: string) =>
  identifier
    .split('.')
    .map((part) => (system === 'mysql' ? `\`${part}\`` : `"${part}"`))
    .join('.');

/** Objects and arrays are stored as JSON text; everything else goes to the driver as it is. */
const param = (value: unknown): unknown => (value !== null && typeof value === 'object' ? JSON.stringify(value) : value);

/** `INSERT … ON CONFLICT … DO UPDATE` (PostgreSQL) or `… ON DUPLICATE KEY UPDATE` (MySQL), all values as parameters. */
export function buildUpsert(system: SqlSystem, table: string, keyColumns: string[], rows: Array<Record<string, unknown>>): { sql: string; params: unknown[] } {
  const first = rows[0];
  if (!first) throw permanent('invalid_input', 'sql.upsert: no rows to write');
  const columns = Object.keys(first);
  for (const c of columns) if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(c)) throw permanent('invalid_input', `sql.upsert: ${JSON.stringify(c)} is not a column name`);
  for (const k of keyColumns) if (!columns.includes(k)) throw permanent('invalid_input', `sql.upsert: the row has no value for key column ${k}`);
  const params: unknown[] = [];
  const tuples = rows.map((row, i) => {
    const keys = Object.keys(row);
    if (keys.length !== columns.length || keys.some((k) => !columns.includes(k))) throw permanent('invalid_input', `sql.upsert: row ${i + 1} has other columns than row 1`);
    return `(${columns
      .map((c) => {
        params.push(param(row[c]));
        return system === 'mysql' ? '?' : `$${params.length}`;
      })
      .join(', ')})`;
  });
  const cols = columns.map((c) => quote(system, c)).join(', ');
  const updates = columns.filter((c) => !keyColumns.includes(c));
  const head = `INSERT INTO ${quote(system, table)} (${cols}) VALUES ${tuples.join(', ')}`;
  if (system === 'mysql') {
    // A no-op assignment keeps "insert or leave alone" when every column is part of the key.
    const set = (updates.length ? updates : [keyColumns[0] as string]).map((c) => `${quote(system, c)} = VALUES(${quote(system, c)})`).join(', ');
    return { sql: `${head} ON DUPLICATE KEY UPDATE ${set}`, params };
  }
  const target = keyColumns.map((k) => quote(system, k)).join(', ');
  const action = updates.length ? `DO UPDATE SET ${updates.map((c) => `${quote(system, c)} = EXCLUDED.${quote(system, c)}`).join(', ')}` : 'DO NOTHING';
  return { sql: `${head} ON CONFLICT (${target}) ${action}`, params };
}

export function createSqlExecutors(pools: SqlPools, budget: ExpressionBudget): Record<'sql.query' | 'sql.upsert' | 'trigger.sql-poll', NodeExecutor> {
  return {
    'sql.query': defineExecutor(sqlQuery, async (ctx, config, input) => {
      const { system, connection } = await sqlConnection(ctx, config.connectionId);
      const params = await evaluateNodeExpression(ctx, budget, 'params', config.params, input);
      if (!Array.isArray(params)) throw permanent('invalid_input', `sql.query params: ${JSON.stringify(config.params)} must give an array of values`);
      try {
        const pool = await pools.get(system, connection);
        const result = await pool.query(config.sql, params.map(param));
        if (result.rows.length > config.maxRows) throw permanent('too_many_rows', `sql.query: the statement returned ${result.rows.length} rows; the node allows ${config.maxRows} (add a LIMIT)`);
        return { output: { rows: result.rows, rowCount: result.rowCount } };
      } catch (err) {
        throw sqlError(`${connection.name}`, err);
      }
    }),
    'sql.upsert': defineExecutor(sqlUpsert, async (ctx, config, input) => {
      const { system, connection } = await sqlConnection(ctx, config.connectionId);
      const value = await evaluateNodeExpression(ctx, budget, 'row', config.row, input);
      const rows = (Array.isArray(value) ? value : [value]) as unknown[];
      if (rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) throw permanent('invalid_input', 'sql.upsert row: must give an object (column → value) or an array of them');
      const { sql, params } = buildUpsert(system, config.table, config.keyColumns, rows as Array<Record<string, unknown>>);
      try {
        const pool = await pools.get(system, connection);
        const result = await pool.query(sql, params);
        return { output: { table: config.table, rows: rows.length, affected: result.rowCount } };
      } catch (err) {
        throw sqlError(`${connection.name}`, err);
      }
    }),
    'trigger.sql-poll': defineExecutor(sqlPollTrigger, (_ctx, _config, input) => Promise.resolve({ output: input })),
  };
}
