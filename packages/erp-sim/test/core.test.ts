import { describe, expect, it } from 'vitest';
import { FaultInjector, sampleLatency } from '../src/core/faults';
import { compileODataFilter, ODataFilterError } from '../src/core/odata-filter';
import { page, readODataQuery } from '../src/core/odata-query';
import { parseSuiteQL, runSuiteQL, SuiteQLError } from '../src/netsuite/suiteql';
import { compileRecordQuery, RecordQueryError } from '../src/netsuite/record-query';

describe('fault injection', () => {
  it('replays the same decisions for the same seed and differs per account', () => {
    const run = (account: string) => {
      const f = new FaultInjector(1);
      f.set({ account, errorRate: 0.3, rate429: 0.2, timeoutRate: 0.1, seed: 'abc' });
      return Array.from({ length: 50 }, () => f.decide(account)?.outcome);
    };
    expect(run('A')).toEqual(run('A'));
    expect(run('A')).not.toEqual(run('B'));
    const outcomes = new Set(run('A'));
    expect(outcomes).toEqual(new Set(['proceed', 'throttle', 'error', 'timeout']));
  });

  it('applies the wildcard to every account unless one has its own spec', () => {
    const f = new FaultInjector(1);
    expect(f.decide('X')).toBeUndefined();
    f.set({ account: '*', rate429: 1 });
    f.set({ account: 'quiet', errorRate: 0 });
    expect(f.decide('X')?.outcome).toBe('throttle');
    expect(f.decide('quiet')?.outcome).toBe('proceed');
    f.clear('quiet');
    expect(f.decide('quiet')?.outcome).toBe('throttle');
  });

  it('draws latency from a log-normal that matches the requested p50 and p99', () => {
    const f = new FaultInjector(7);
    f.set({ account: 'L', latencyMs: { p50: 100, p99: 1000 } });
    const samples = Array.from({ length: 20_000 }, () => f.decide('L')?.delayMs ?? 0).sort((a, b) => a - b);
    const q = (p: number) => samples[Math.floor(p * samples.length)] as number;
    expect(q(0.5)).toBeGreaterThan(90);
    expect(q(0.5)).toBeLessThan(110);
    expect(q(0.99)).toBeGreaterThan(800);
    expect(q(0.99)).toBeLessThan(1250);
    expect(sampleLatency(250, 0.5, 0.5)).toBe(250);
  });

  it('rejects invalid specs with the failing field', () => {
    const f = new FaultInjector(1);
    expect(() => f.set({ account: 'A', errorRate: 2 })).toThrow(/errorRate/);
    expect(() => f.set({ account: 'A', latencyMs: { p50: 500, p99: 100 } })).toThrow(/p99/);
  });
});

describe('OData $filter', () => {
  const known = (p: string) => ['name', 'amount', 'city', 'date', 'id', 'blocked'].includes(p);
  const rows = [
    { name: "O'Brien", amount: 10, city: 'Oslo', date: '2026-01-05', id: '0b1f2e3d-0000-4000-8000-000000000001', blocked: false },
    { name: 'Acme', amount: 250.5, city: 'Bergen', date: '2026-02-10', id: '0b1f2e3d-0000-4000-8000-000000000002', blocked: true },
    { name: 'Zeta', amount: '99.00', city: null, date: '2025-12-31', id: '0b1f2e3d-0000-4000-8000-000000000003', blocked: false },
  ];
  const names = (f: string) => rows.filter(compileODataFilter(f, known)).map((r) => r.name);

  it('evaluates comparisons, logic, functions and v2/v4 literals', () => {
    expect(names("name eq 'O''Brien'")).toEqual(["O'Brien"]);
    expect(names('amount gt 50 and not blocked eq true')).toEqual(['Zeta']);
    expect(names("(city eq 'Oslo' or city eq null) and amount le 100")).toEqual(["O'Brien", 'Zeta']);
    expect(names("contains(name,'cm') or startswith(name,'Ze')")).toEqual(['Acme', 'Zeta']);
    expect(names("substringof('Bri', name)")).toEqual(["O'Brien"]);
    expect(names('date ge 2026-01-01')).toEqual(["O'Brien", 'Acme']);
    expect(names("date lt datetime'2026-01-01T00:00:00'")).toEqual(['Zeta']);
    expect(names('id eq 0b1f2e3d-0000-4000-8000-000000000002')).toEqual(['Acme']);
    expect(names("id eq guid'0b1f2e3d-0000-4000-8000-000000000003'")).toEqual(['Zeta']);
    expect(names("tolower(name) eq 'acme'")).toEqual(['Acme']);
  });

  it('reports unknown properties by name and syntax errors', () => {
    try {
      compileODataFilter("colour eq 'red'", known);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ODataFilterError);
      expect((err as ODataFilterError).property).toBe('colour');
    }
    expect(() => compileODataFilter("name eq 'x", known)).toThrow(/Unterminated/);
    expect(() => compileODataFilter('name eq', known)).toThrow(ODataFilterError);
    expect(() => compileODataFilter("frob(name, 'x')", known)).toThrow(/Unknown function/);
  });

  it('pages client-driven ($top/$skip) and server-driven (skiptoken) together', () => {
    const data = Array.from({ length: 10 }, (_, i) => i);
    const read = (qs: string) => {
      const r = readODataQuery(new URLSearchParams(qs), { isKnown: () => true, expandable: [], typeSuffix: '' });
      if (!r.ok) throw new Error(r.message);
      return r.query;
    };
    const first = page(data, read('$top=5&$skip=2'), 3);
    expect(first.rows).toEqual([2, 3, 4]);
    expect(first.next).toEqual({ offset: 5, remaining: 2 });
    const token = Buffer.from(JSON.stringify([5, 2])).toString('base64url');
    const second = page(data, read(`$skiptoken=${token}`), 3);
    expect(second.rows).toEqual([5, 6]);
    expect(second.next).toBeUndefined();
    const bad = readODataQuery(new URLSearchParams('$top=-1'), { isKnown: () => true, expandable: [], typeSuffix: '' });
    expect(bad.ok).toBe(false);
  });
});

describe('SuiteQL subset', () => {
  const rows = [
    { id: 1, type: 'SalesOrd', tranid: 'SO1', foreigntotal: 120, memo: 'rush order', isperson: true },
    { id: 2, type: 'CustInvc', tranid: 'INV1', foreigntotal: 80, memo: null, isperson: false },
    { id: 3, type: 'SalesOrd', tranid: 'SO2', foreigntotal: 40, memo: 'standard', isperson: false },
  ];
  const run = (sql: string) => runSuiteQL(parseSuiteQL(sql), rows);

  it('selects, filters, orders and stringifies like NetSuite', () => {
    expect(run("SELECT t.tranid AS doc, foreigntotal FROM transaction t WHERE t.type IN ('SalesOrd') ORDER BY foreigntotal ASC")).toEqual([
      { doc: 'SO2', foreigntotal: '40' },
      { doc: 'SO1', foreigntotal: '120' },
    ]);
    expect(run("SELECT id FROM transaction WHERE memo LIKE '%order' OR memo IS NULL")).toEqual([{ id: '1' }, { id: '2' }]);
    expect(run("SELECT TOP 1 id, isperson FROM transaction WHERE NOT (type = 'CustInvc') AND foreigntotal >= 40 ORDER BY id DESC")).toEqual([
      { id: '3', isperson: 'F' },
    ]);
    expect(run('SELECT * FROM transaction WHERE id = 2')).toEqual([{ id: '2', type: 'CustInvc', tranid: 'INV1', foreigntotal: '80', isperson: 'F' }]);
  });

  it('rejects what it does not understand with a reason', () => {
    expect(() => parseSuiteQL('SELECT COUNT(*) FROM transaction')).toThrow(SuiteQLError);
    expect(() => parseSuiteQL('SELECT id FROM transaction WHERE')).toThrow(/expected a name/);
    expect(() => parseSuiteQL("SELECT id FROM transaction WHERE tranid = 'x")).toThrow(SuiteQLError);
  });
});

describe('record collection q filter', () => {
  it('supports NetSuite operators with AND binding tighter than OR', () => {
    const known = new Set(['companyName', 'email', 'balance']);
    const p = compileRecordQuery('companyName START_WITH "Ac" AND balance GREATER 10 OR email IS "z@z.example"', known);
    expect(p({ companyName: 'Acme', balance: 20 })).toBe(true);
    expect(p({ companyName: 'Acme', balance: 5 })).toBe(false);
    expect(p({ companyName: 'Other', email: 'z@z.example' })).toBe(true);
    expect(compileRecordQuery('email ANY_OF "a@x", "b@x"', known)({ email: 'b@x' })).toBe(true);
    expect(() => compileRecordQuery('email LOOKS_LIKE "x"', known)).toThrow(RecordQueryError);
    expect(() => compileRecordQuery('email IS', known)).toThrow(/needs a value/);
  });
});
