import { defineNodeKind } from '@switchyard/workflow';
import { z } from 'zod';
import type { ConnectionSystemDefinition } from '../erp/common/connection-kind';

/**
 * Browser-safe: the database adapter. A tenant's SQL database is a connection (`postgres` or
 * `mysql`, MariaDB included) with its own credentials and connection limit. Statements are static
 * text with placeholders (`$1` for PostgreSQL, `?` for MySQL); values only ever travel as
 * parameters, never spliced into the SQL.
 */

export const SQL_SYSTEMS = ['postgres', 'mysql'] as const;
export type SqlSystem = (typeof SQL_SYSTEMS)[number];

const databaseConfig = z.strictObject({
  maxConnections: z.number().int().min(1).max(20).default(4).meta({ title: 'Max connections', description: 'Per worker, for this connection.' }),
  statementTimeoutMs: z.number().int().min(100).max(600_000).default(30_000).meta({ title: 'Statement timeout (ms)' }),
});
const databaseCredentials = z.strictObject({
  username: z.string().min(1).max(200).meta({ title: 'User', writeOnly: true }),
  password: z.string().max(4000).optional().meta({ title: 'Password', writeOnly: true }),
});

export const postgresConnection: ConnectionSystemDefinition = {
  system: 'postgres',
  displayName: 'PostgreSQL database',
  description: 'A PostgreSQL database reached with the pg driver; the base URL names host, port and database.',
  baseUrlExample: 'postgres://db.example.com:5432/ledger',
  baseUrlProtocols: ['postgres', 'postgresql'],
  configSchema: databaseConfig,
  credentialsSchema: databaseCredentials,
};

export const mysqlConnection: ConnectionSystemDefinition = {
  system: 'mysql',
  displayName: 'MySQL / MariaDB database',
  description: 'A MySQL or MariaDB database reached with the mysql2 driver; the base URL names host, port and database.',
  baseUrlExample: 'mysql://db.example.com:3306/ledger',
  baseUrlProtocols: ['mysql', 'mariadb'],
  configSchema: databaseConfig,
  credentialsSchema: databaseCredentials,
};

/** A table or column name, optionally schema-qualified; quoted by the adapter, so reserved words work too. */
export const sqlIdentifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, 'must be an identifier (letters, digits, _), optionally schema.table');

const connectionId = z.string().trim().min(1, 'must name a connection').max(200).meta({ title: 'Connection' });
const statement = z
  .string()
  .trim()
  .min(1)
  .max(20_000)
  .refine((s) => !/;\s*\S/.test(s.replace(/'(?:[^']|'')*'/g, "''")), 'must be a single statement')
  .meta({ title: 'SQL', description: 'Static text with placeholders ($1, $2 for PostgreSQL; ? for MySQL). Values go in the parameters.' });

export const SqlQueryConfigSchema = z.object({
  connectionId,
  sql: statement,
  params: z.string().max(20_000).default('[]').meta({ title: 'Parameters', description: 'JSONata over the input giving the array of parameter values.' }),
  maxRows: z.number().int().min(1).max(100_000).default(1000).meta({ title: 'Max rows' }),
});
export type SqlQueryConfig = z.infer<typeof SqlQueryConfigSchema>;

export const SqlUpsertConfigSchema = z.object({
  connectionId,
  table: sqlIdentifier.meta({ title: 'Table' }),
  keyColumns: z.array(sqlIdentifier).min(1).max(10).meta({ title: 'Key columns', description: 'The unique key the row is matched on (a unique index must exist).' }),
  row: z.string().max(20_000).default('$').meta({ title: 'Row', description: 'JSONata over the input giving one row (column → value) or an array of rows.' }),
});
export type SqlUpsertConfig = z.infer<typeof SqlUpsertConfigSchema>;

export const SqlPollTriggerConfigSchema = z.object({
  connectionId,
  sql: statement.meta({
    title: 'SQL',
    description: 'One parameter, the watermark: e.g. SELECT * FROM orders WHERE updated_at >= $1 ORDER BY updated_at LIMIT 100. Use >= : rows at the watermark come again and are recognised by their key.',
  }),
  watermarkColumn: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).meta({ title: 'Watermark column' }),
  keyColumn: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).meta({ title: 'Key column', description: 'Identifies a row; with the watermark it is the run idempotency key.' }),
  initialWatermark: z.string().max(100).default('1970-01-01T00:00:00Z').meta({ title: 'Start from' }),
  intervalSeconds: z.number().int().min(1).max(86_400).default(30).meta({ title: 'Every (s)' }),
});
export type SqlPollTriggerConfig = z.infer<typeof SqlPollTriggerConfigSchema>;

export const sqlQuery = defineNodeKind<SqlQueryConfig>()({
  kind: 'sql.query',
  version: 1,
  category: 'action',
  displayName: 'SQL query',
  description: "Runs one parameterised statement on the tenant's PostgreSQL or MySQL/MariaDB database.",
  icon: 'database',
  configSchema: SqlQueryConfigSchema,
  defaultConfig: { connectionId: '', sql: 'SELECT 1', params: '[]', maxRows: 1000 },
  isTrigger: false,
  outputs: ['out', 'error'],
});

export const sqlUpsert = defineNodeKind<SqlUpsertConfig>()({
  kind: 'sql.upsert',
  version: 1,
  category: 'action',
  displayName: 'SQL upsert',
  description: 'Inserts or updates rows by their unique key (ON CONFLICT / ON DUPLICATE KEY), so a retried step changes nothing twice.',
  icon: 'database',
  configSchema: SqlUpsertConfigSchema,
  defaultConfig: { connectionId: '', table: 'records', keyColumns: ['id'], row: '$' },
  isTrigger: false,
  outputs: ['out', 'error'],
});

export const sqlPollTrigger = defineNodeKind<SqlPollTriggerConfig>()({
  kind: 'trigger.sql-poll',
  version: 1,
  category: 'trigger',
  displayName: 'Database polling',
  description: 'Polls a table by a watermark column and starts one run per new or changed row.',
  icon: 'database',
  configSchema: SqlPollTriggerConfigSchema,
  defaultConfig: { connectionId: '', sql: 'SELECT * FROM orders WHERE updated_at >= $1 ORDER BY updated_at LIMIT 100', watermarkColumn: 'updated_at', keyColumn: 'id', initialWatermark: '1970-01-01T00:00:00Z', intervalSeconds: 30 },
  isTrigger: true,
  outputs: ['out'],
});
