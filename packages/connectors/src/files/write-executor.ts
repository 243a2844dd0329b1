import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { NodeExecutionError, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateNodeExpression, type ExpressionBudget } from '../kinds/expression-budget';
import { fileWrite, type FileWriteConfig } from './kinds';

export interface FileAdapterOptions {
  /** The platform's file root: tenants read from `<root>/<tenantId>/inbound` and write to `<root>/<tenantId>/outbound`. */
  root: string;
}

const permanent = (code: string, message: string) => new NodeExecutionError(message, { code, retryable: false });

/** Renders rows; a value wider than its column is an error, never silently cut (a cut amount is a wrong amount). */
export function renderFile(config: Pick<FileWriteConfig, 'format' | 'columns' | 'delimiter' | 'header' | 'lineEnding'>, rows: unknown[]): string {
  const eol = config.lineEnding === 'crlf' ? '\r\n' : '\n';
  const cell = (row: unknown, name: string, index: number): string => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw permanent('invalid_input', `file.write: row ${index + 1} is not an object`);
    const v = (row as Record<string, unknown>)[name];
    if (v !== undefined && v !== null && typeof v === 'object') throw permanent('invalid_input', `file.write: row ${index + 1} column ${name} is an object, not a value`);
    return v === undefined || v === null ? '' : String(v);
  };
  if (config.format === 'csv') {
    const names = config.columns.map((c) => c.name);
    return stringify(
      rows.map((r, i) => names.map((n) => cell(r, n, i))),
      { header: config.header, columns: names, delimiter: config.delimiter, record_delimiter: config.lineEnding === 'crlf' ? 'windows' : 'unix' },
    );
  }
  const width = Math.max(...config.columns.map((c) => c.start - 1 + c.length));
  return rows
    .map((row, i) => {
      const chars = Array.from({ length: width }, () => ' ');
      for (const c of config.columns) {
        const value = cell(row, c.name, i);
        if (/[\r\n]/.test(value)) throw permanent('invalid_input', `file.write: row ${i + 1} column ${c.name} contains a line break`);
        if (value.length > c.length) throw permanent('value_too_wide', `file.write: row ${i + 1} column ${c.name}: ${JSON.stringify(value)} is ${value.length} characters; the column holds ${c.length}`);
        const padded = c.align === 'right' ? value.padStart(c.length, c.pad) : value.padEnd(c.length, c.pad);
        for (let k = 0; k < c.length; k++) chars[c.start - 1 + k] = padded[k] as string;
      }
      return chars.join('') + eol;
    })
    .join('');
}

/**
 * `file.write`: the file appears whole or not at all (written beside its final name, then renamed),
 * and a retried step writes the same bytes again, so a legacy ledger polling the folder never reads
 * half a file and never gets two different versions of one.
 */
export function createFileWriteExecutor(budget: ExpressionBudget, options: FileAdapterOptions | undefined): NodeExecutor {
  return defineExecutor(fileWrite, async (ctx, config, input) => {
    if (!options) throw permanent('files_unavailable', 'file.write: no file root is configured on this worker (set SWITCHYARD_FILE_ROOT)');
    const rows = await evaluateNodeExpression(ctx, budget, 'records', config.records, input);
    if (!Array.isArray(rows)) throw permanent('invalid_input', `file.write records: ${JSON.stringify(config.records)} must give an array of rows`);
    const name = await evaluateNodeExpression(ctx, budget, 'fileName', config.fileName, input);
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(name)) {
      throw permanent('invalid_config', `file.write fileName: ${JSON.stringify(name)} is not a plain file name (letters, digits, ".", "_", "-"; no folders)`);
    }
    const text = renderFile(config, rows);
    const folder = path.join(options.root, ctx.tenantId, 'outbound', config.folder);
    const target = path.join(folder, name);
    const temp = path.join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw new NodeExecutionError(`file.write: could not write ${name}: ${err instanceof Error ? err.message : String(err)}`, { code: 'io_error', retryable: true });
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    return { output: { file: name, folder: config.folder, lines: rows.length, bytes, sha256: createHash('sha256').update(text).digest('hex') } };
  });
}
