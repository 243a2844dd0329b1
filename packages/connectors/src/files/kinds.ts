import { CANONICAL_NAMES, type CanonicalName } from '@switchyard/canonical';
import { defineNodeKind } from '@switchyard/workflow';
import { z } from 'zod';

/**
 * Browser-safe: the managed-batch file kinds. `file.parse` reads a CSV or fixed-width file (from a
 * watched folder trigger or an upload in the trigger payload), turns each line into a canonical
 * object, validates it, and hands the valid ones on in chunks with a per-line report. `file.write`
 * renders records as a fixed-width or CSV file (a journal import for a legacy ledger) into the
 * tenant's outbound folder.
 */

export const FILE_FORMATS = ['csv', 'fixed-width'] as const;

const columnName = z.string().trim().min(1).max(100).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, _)');

/** A fixed-width column: 1-based start position and length, as legacy record layouts give them. */
export const FixedWidthColumn = z.strictObject({
  name: columnName,
  start: z.number().int().min(1).max(10_000),
  length: z.number().int().min(1).max(10_000),
  /** Output only: how a value shorter than the column is padded. */
  align: z.enum(['left', 'right']).default('left'),
  pad: z.string().length(1).default(' '),
});

export const FileParseConfigSchema = z
  .object({
    format: z.enum(FILE_FORMATS).default('csv').meta({ title: 'Format' }),
    content: z.string().min(1).max(2000).default('content').meta({ title: 'File content', description: 'JSONata over the input giving the file text (a watched-folder or upload trigger puts it in `content`).' }),
    delimiter: z.string().min(1).max(4).default(',').meta({ title: 'CSV delimiter' }),
    header: z.boolean().default(true).meta({ title: 'CSV has a header line', description: 'Otherwise the columns below name the fields in order.' }),
    columns: z.array(FixedWidthColumn).max(200).default([]).meta({ title: 'Columns', description: 'Fixed-width layout, or the CSV field names when there is no header.' }),
    skipLines: z.number().int().min(0).max(100).default(0).meta({ title: 'Lines to skip', description: 'Leading lines to ignore (fixed-width banners).' }),
    record: z.string().max(20_000).default('$').meta({ title: 'Record', description: 'JSONata over one line (its fields, and `$line`) giving the canonical object.' }),
    object: z.enum(CANONICAL_NAMES as [CanonicalName, ...CanonicalName[]]).meta({ title: 'Canonical object' }),
    version: z.number().int().min(1).default(1).meta({ title: 'Version' }),
    chunkSize: z.number().int().min(1).max(10_000).default(500).meta({ title: 'Chunk size' }),
    onInvalid: z
      .enum(['partial', 'rejectAll'])
      .default('partial')
      .meta({ title: 'Bad lines', description: '`partial`: report each bad line and process the rest; `rejectAll`: any bad line fails the file and nothing is processed.' }),
    maxLines: z.number().int().min(1).max(200_000).default(50_000).meta({ title: 'Max lines' }),
  })
  .superRefine((c, ctx) => {
    if (c.format === 'fixed-width' && c.columns.length === 0) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a fixed-width file needs its column layout' });
    if (c.format === 'csv' && !c.header && c.columns.length === 0) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a CSV file without a header line needs its column names' });
  });
export type FileParseConfig = z.infer<typeof FileParseConfigSchema>;

export const FileWriteConfigSchema = z
  .object({
    format: z.enum(FILE_FORMATS).default('fixed-width').meta({ title: 'Format' }),
    records: z.string().min(1).max(20_000).default('records').meta({ title: 'Records', description: 'JSONata over the input giving the array of rows (objects keyed by column name).' }),
    columns: z.array(FixedWidthColumn).min(1).max(200).meta({ title: 'Columns' }),
    fileName: z.string().min(1).max(2000).meta({ title: 'File name', description: 'JSONata giving the file name, e.g. `"GLIMP_" & $trigger.batch & ".txt"`.' }),
    folder: z
      .string()
      .trim()
      .max(100)
      .regex(/^[A-Za-z0-9_-]*$/, 'must be a single folder name (letters, digits, "_", "-")')
      .default('')
      .meta({ title: 'Folder', description: "Inside the tenant's outbound folder." }),
    delimiter: z.string().min(1).max(4).default(',').meta({ title: 'CSV delimiter' }),
    header: z.boolean().default(true).meta({ title: 'CSV header line' }),
    lineEnding: z.enum(['lf', 'crlf']).default('crlf').meta({ title: 'Line ending', description: 'Legacy ledgers mostly expect CRLF.' }),
  })
  .superRefine((c, ctx) => {
    if (c.format !== 'fixed-width') return;
    const sorted = [...c.columns].sort((a, b) => a.start - b.start);
    sorted.forEach((col, i) => {
      const next = sorted[i + 1];
      if (next && col.start + col.length > next.start) ctx.addIssue({ code: 'custom', path: ['columns'], message: `column ${col.name} overlaps ${next.name}` });
    });
  });
export type FileWriteConfig = z.infer<typeof FileWriteConfigSchema>;

export const FileTriggerConfigSchema = z.object({
  folder: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a single folder name (letters, digits, "_", "-")')
    .meta({ title: 'Folder', description: "Inside the tenant's inbound folder: <file root>/<tenant id>/inbound/<folder>." }),
  pattern: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9*?._-]+$/, 'may contain letters, digits, ".", "_", "-" and the wildcards * and ?')
    .default('*')
    .meta({ title: 'File pattern', description: 'e.g. *.csv or GL_*.txt' }),
  maxBytes: z.number().int().min(1).max(50 * 1024 * 1024).default(10 * 1024 * 1024).meta({ title: 'Max file size (bytes)' }),
});
export type FileTriggerConfig = z.infer<typeof FileTriggerConfigSchema>;

export const fileTrigger = defineNodeKind<FileTriggerConfig>()({
  kind: 'trigger.file',
  version: 1,
  category: 'trigger',
  displayName: 'Watched folder',
  description: "Starts a run for each file dropped into a folder of the tenant's inbound area; the file's name and text arrive as `fileName` and `content`.",
  icon: 'folder-input',
  configSchema: FileTriggerConfigSchema,
  defaultConfig: { folder: 'incoming', pattern: '*.csv', maxBytes: 10 * 1024 * 1024 },
  isTrigger: true,
  outputs: ['out'],
});

export const fileParse = defineNodeKind<FileParseConfig>()({
  kind: 'file.parse',
  version: 1,
  category: 'data',
  displayName: 'Read file',
  description: 'Reads a CSV or fixed-width file, validates each line as a canonical object, and passes the valid ones on in chunks with a per-line report.',
  icon: 'file-text',
  configSchema: FileParseConfigSchema,
  defaultConfig: { format: 'csv', content: 'content', delimiter: ',', header: true, columns: [], skipLines: 0, record: '$', object: 'customer', version: 1, chunkSize: 500, onInvalid: 'partial', maxLines: 50_000 },
  isTrigger: false,
  outputs: ['out', 'error'],
});

export const fileWrite = defineNodeKind<FileWriteConfig>()({
  kind: 'file.write',
  version: 1,
  category: 'action',
  displayName: 'Write file',
  description: "Writes rows as a fixed-width or CSV file (e.g. a journal import for a legacy ledger) into the tenant's outbound folder, atomically.",
  icon: 'file-output',
  configSchema: FileWriteConfigSchema,
  defaultConfig: { format: 'fixed-width', records: 'records', columns: [{ name: 'account', start: 1, length: 10, align: 'left', pad: ' ' }], fileName: '"export.txt"', folder: '', delimiter: ',', header: true, lineEnding: 'crlf' },
  isTrigger: false,
  outputs: ['out', 'error'],
});
