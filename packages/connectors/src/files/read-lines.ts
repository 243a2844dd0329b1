import { parse, type CsvError } from 'csv-parse/sync';
import type { FileParseConfig } from './kinds';

/** One line of the file: its fields, or why it could not be read. `line` is the 1-based line number in the file. */
export type FileLine = { line: number; fields: Record<string, string> } | { line: number; error: string };

/**
 * CSV by csv-parse (quotes, embedded delimiters and newlines, BOM). A malformed record (wrong field
 * count, broken quote) becomes an error for that line instead of failing the whole file.
 */
export function readCsv(content: string, config: Pick<FileParseConfig, 'delimiter' | 'header' | 'columns' | 'skipLines'>): FileLine[] {
  const out: FileLine[] = [];
  const records = parse(content, {
    bom: true,
    delimiter: config.delimiter,
    columns: config.header ? true : config.columns.map((c) => c.name),
    from_line: config.skipLines + 1,
    skip_empty_lines: true,
    trim: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err) out.push({ line: Number((err as CsvError & { lines?: number }).lines ?? 0), error: err.message });
      return undefined;
    },
  }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  for (const r of records) out.push({ line: r.info.lines, fields: r.record });
  return out.sort((a, b) => a.line - b.line);
}

/** Fixed-width records: each column cut at its 1-based start and length, trimmed. */
export function readFixedWidth(content: string, config: Pick<FileParseConfig, 'columns' | 'skipLines'>): FileLine[] {
  const needed = Math.max(...config.columns.map((c) => c.start - 1 + c.length));
  const out: FileLine[] = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((text, index) => {
      const line = index + 1;
      if (index < config.skipLines || text.trim() === '') return;
      // Trailing blank columns are often cut off by legacy exporters; only a line too short for the last non-empty column is wrong.
      const lastStart = Math.max(...config.columns.map((c) => c.start));
      if (text.length < lastStart) {
        out.push({ line, error: `the line is ${text.length} characters long; the layout needs at least ${lastStart} (up to ${needed})` });
        return;
      }
      const fields: Record<string, string> = {};
      for (const c of config.columns) fields[c.name] = text.slice(c.start - 1, c.start - 1 + c.length).trim();
      out.push({ line, fields });
    });
  return out;
}
