import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeExecutionError } from '@switchyard/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorExecutors } from '../../src/index';
import { makeCtx } from '../helpers';

let root: string;
let run: ReturnType<typeof createConnectorExecutors>;
const TENANT = '5b0c7d2e-1111-4c4c-8888-0123456789ab';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sy-files-'));
  run = createConnectorExecutors({ fileRoot: root });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const ctx = () => makeCtx({ tenantId: TENANT, trigger: { batch: '2026-11' } });

const customersCsv = [
  'id,name,email,status',
  'C-1,Acme Corp,ap@acme.example,active',
  'C-2,"Initech, Inc.",billing@initech.example,active',
  'C-3,Globex,not-an-email,active',
  'C-4,Umbrella,ops@umbrella.example',
  ',Hooli,team@hooli.example,inactive',
  'C-6,Soylent,info@soylent.example,inactive',
].join('\r\n');
const customerRecord = '{"id": id, "kind": "company", "name": name, "email": email, "status": status}';

describe('file.parse', () => {
  it('validates every CSV line, reports the bad ones by line and field, and chunks the good ones', async () => {
    const { output } = await run['file.parse'](ctx(), { format: 'csv', object: 'customer', record: customerRecord, chunkSize: 2 }, { content: customersCsv });
    const out = output as { total: number; valid: number; invalid: number; chunks: Array<Array<{ id: string; name: string }>>; report: Array<{ line: number; ok: boolean; errors?: Array<{ path: string; message: string }> }> };
    expect(out).toMatchObject({ total: 6, valid: 3, invalid: 3 });
    expect(out.chunks.map((c) => c.map((r) => r.id))).toEqual([['C-1', 'C-2'], ['C-6']]);
    expect(out.chunks[0]?.[1]?.name).toBe('Initech, Inc.');
    const bad = out.report.filter((r) => !r.ok);
    expect(bad.map((r) => r.line)).toEqual([4, 5, 6]);
    expect(bad[0]?.errors).toEqual([{ path: 'email', message: 'must be an e-mail address' }]);
    expect(bad[1]?.errors?.[0]?.message).toMatch(/column|record/i);
    expect(bad[2]?.errors?.[0]?.path).toBe('id');
  });

  it('rejects the whole file when the trigger says so, naming each bad line', async () => {
    const err = await run['file.parse'](ctx(), { format: 'csv', object: 'customer', record: customerRecord, onInvalid: 'rejectAll' }, { content: customersCsv }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeExecutionError);
    expect(err).toMatchObject({ code: 'file_rejected', retryable: false });
    expect((err as Error).message).toMatch(/^file rejected: 3 of 6 lines are invalid, nothing was processed: line 4: email must be an e-mail address; line 5: .*; line 6: id must not be empty.*$/);
  });

  it('reads a fixed-width legacy GL export into balanced journal entries', async () => {
    // cols: date 1-10, entry 11-20, debit account 21-26, credit account 27-32, amount 33-44 (right aligned), currency 45-47, memo 48-
    const row = (date: string, entry: string, dr: string, cr: string, amount: string, memo: string) =>
      `${date.padEnd(10)}${entry.padEnd(10)}${dr.padEnd(6)}${cr.padEnd(6)}${amount.padStart(12)}USD${memo}`;
    const gl = [
      'LEGACY GL EXPORT 2026-11',
      row('2026-11-01', 'JE-0001', '1200', '4000', '1250.00', 'November licences'),
      row('2026-11-02', 'JE-0002', '1200', '4100', '80.5', 'Support'),
      row('2026-11-3', 'JE-0003', '5100', '2200', '300.00', 'Bad date'),
      'short line',
    ].join('\n');
    const columns = [
      { name: 'date', start: 1, length: 10 },
      { name: 'entry', start: 11, length: 10 },
      { name: 'debitAccount', start: 21, length: 6 },
      { name: 'creditAccount', start: 27, length: 6 },
      { name: 'amount', start: 33, length: 12 },
      { name: 'currency', start: 45, length: 3 },
      { name: 'memo', start: 48, length: 40 },
    ];
    const record = `{"id": entry, "number": entry, "postingDate": date, "currency": currency, "legalEntity": "US01", "memo": memo,
      "lines": [{"lineNumber": 1, "account": debitAccount, "debit": amount}, {"lineNumber": 2, "account": creditAccount, "credit": amount}]}`;
    const { output } = await run['file.parse'](ctx(), { format: 'fixed-width', columns, skipLines: 1, object: 'journalEntry', record }, { content: gl });
    const out = output as { valid: number; invalid: number; chunks: Array<Array<{ id: string; lines: Array<{ debit?: string }> }>>; report: Array<{ line: number; ok: boolean; errors?: Array<{ path: string; message: string }> }> };
    expect(out).toMatchObject({ valid: 2, invalid: 2 });
    expect(out.chunks[0]?.map((j) => j.id)).toEqual(['JE-0001', 'JE-0002']);
    expect(out.chunks[0]?.[1]?.lines[0]?.debit).toBe('80.5');
    const bad = out.report.filter((r) => !r.ok);
    expect(bad.map((r) => r.line)).toEqual([4, 5]);
    expect(bad[0]?.errors?.[0]).toEqual({ path: 'postingDate', message: 'must be an ISO 8601 date (YYYY-MM-DD)' });
    expect(bad[1]?.errors?.[0]?.message).toMatch(/^the line is 10 characters long; the layout needs at least 48/);
  });
});

describe('file.write', () => {
  const journalImport = {
    format: 'fixed-width',
    records: 'entries.lines.{"date": $substring(%.postingDate, 0, 4) & $substring(%.postingDate, 5, 2) & $substring(%.postingDate, 8, 2), "journal": %.id, "account": account, "dc": debit ? "D" : "C", "amount": $formatNumber($number(debit ? debit : credit) * 100, "0"), "memo": %.memo}',
    columns: [
      { name: 'date', start: 1, length: 8 },
      { name: 'journal', start: 9, length: 10 },
      { name: 'account', start: 19, length: 6 },
      { name: 'dc', start: 25, length: 1 },
      { name: 'amount', start: 26, length: 12, align: 'right', pad: '0' },
      { name: 'memo', start: 38, length: 20 },
    ],
    fileName: '"GLIMP_" & $trigger.batch & ".DAT"',
    folder: 'ledger',
  };
  const entries = [
    { id: 'JE-0001', postingDate: '2026-11-01', memo: 'November licences', lines: [{ account: '1200', debit: '1250.00' }, { account: '4000', credit: '1250.00' }] },
  ];

  it('writes a legacy ledger journal import atomically into the tenant outbound folder, the same bytes on a retry', async () => {
    const first = await run['file.write'](ctx(), journalImport, { entries });
    const again = await run['file.write'](ctx(), journalImport, { entries });
    const folder = path.join(root, TENANT, 'outbound', 'ledger');
    expect(await readdir(folder)).toEqual(['GLIMP_2026-11.DAT']);
    const text = await readFile(path.join(folder, 'GLIMP_2026-11.DAT'), 'utf8');
    expect(text).toBe('20261101JE-0001   1200  D000000125000November licences   \r\n20261101JE-0001   4000  C000000125000November licences   \r\n');
    expect(first.output).toMatchObject({ file: 'GLIMP_2026-11.DAT', lines: 2, bytes: text.length });
    expect((again.output as { sha256: string }).sha256).toBe((first.output as { sha256: string }).sha256);
  });

  it('refuses a value wider than its column and a file name with a folder in it, writing nothing', async () => {
    const wide = await run['file.write'](ctx(), { ...journalImport, fileName: '"wide.DAT"' }, { entries: [{ ...entries[0], id: 'JE-TOO-LONG-ID' }] }).catch((e: unknown) => e);
    expect(wide).toMatchObject({ code: 'value_too_wide', message: 'file.write: row 1 column journal: "JE-TOO-LONG-ID" is 14 characters; the column holds 10' });
    const escape = await run['file.write'](ctx(), { ...journalImport, fileName: '"../escape.DAT"' }, { entries }).catch((e: unknown) => e);
    expect(escape).toMatchObject({ code: 'invalid_config' });
    expect(await readdir(path.join(root, TENANT, 'outbound', 'ledger'))).toEqual(['GLIMP_2026-11.DAT']);
  });

  it('writes CSV with a header and quoting', async () => {
    await run['file.write'](ctx(), { format: 'csv', records: 'rows', columns: [{ name: 'a', start: 1, length: 1 }, { name: 'b', start: 2, length: 1 }], fileName: '"x.csv"', lineEnding: 'lf' }, { rows: [{ a: 'x,y', b: 1 }] });
    expect(await readFile(path.join(root, TENANT, 'outbound', 'x.csv'), 'utf8')).toBe('a,b\n"x,y",1\n');
  });
});
