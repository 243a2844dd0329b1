/**
 * A SuiteQL subset large enough for integration lookups and reconciliation:
 *   SELECT [TOP n] <* | col [AS alias], …> FROM <customer | transaction> [alias]
 *   [WHERE cond] [ORDER BY col [ASC|DESC], …]
 * where cond uses = <> != < <= > >=, LIKE, IS [NOT] NULL, IN (…), AND, OR, NOT and parentheses.
 * Like NetSuite, column names are lower-case, values come back as strings, null columns are omitted.
 */
export class SuiteQLError extends Error {}

export type SuiteQLRow = Record<string, string | number | boolean | null | undefined>;

export interface SuiteQLQuery {
  table: string;
  columns: Array<{ name: string; alias: string }> | '*';
  where?: Cond;
  orderBy: Array<{ name: string; desc: boolean }>;
  top?: number;
}

type Value = string | number | null;
type Cond =
  | { k: 'and' | 'or'; l: Cond; r: Cond }
  | { k: 'not'; e: Cond }
  | { k: 'cmp'; col: string; op: string; v: Value }
  | { k: 'null'; col: string; negate: boolean }
  | { k: 'in'; col: string; values: Value[]; negate: boolean }
  | { k: 'like'; col: string; pattern: string; negate: boolean };

type Tok = { t: 'id' | 'str' | 'num' | 'op'; v: string };

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:'((?:[^']|'')*)'|(\d+(?:\.\d+)?)|([A-Za-z_][\w.]*)|(<>|!=|<=|>=|[=<>(),*]))/y;
  let pos = 0;
  while (pos < sql.length) {
    if (sql.slice(pos).trim() === '') break;
    re.lastIndex = pos;
    const m = re.exec(sql);
    if (!m) throw new SuiteQLError(`Syntax error near '${sql.slice(pos, pos + 20).trim()}'.`);
    if (m[1] !== undefined) out.push({ t: 'str', v: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) out.push({ t: 'num', v: m[2] });
    else if (m[3] !== undefined) out.push({ t: 'id', v: m[3] });
    else out.push({ t: 'op', v: m[4] as string });
    pos = re.lastIndex;
  }
  return out;
}

const KEYWORDS = new Set(['select', 'from', 'where', 'order', 'by', 'asc', 'desc', 'and', 'or', 'not', 'is', 'null', 'in', 'like', 'top', 'as']);

class Parser {
  private i = 0;
  private alias = '';
  constructor(private readonly toks: Tok[]) {}

  query(): SuiteQLQuery {
    this.keyword('select');
    let top: number | undefined;
    if (this.isKeyword('top')) {
      this.i++;
      top = Number(this.expect('num').v);
    }
    const columns = this.columns();
    this.keyword('from');
    const table = this.expect('id').v.toLowerCase();
    if (this.peek()?.t === 'id' && !KEYWORDS.has((this.peek() as Tok).v.toLowerCase())) this.alias = (this.toks[this.i++] as Tok).v.toLowerCase();
    const q: SuiteQLQuery = { table, columns: columns === '*' ? '*' : columns.map((c) => ({ ...c, name: this.col(c.name) })), orderBy: [] };
    if (top !== undefined) q.top = top;
    if (this.isKeyword('where')) {
      this.i++;
      q.where = this.or();
    }
    if (this.isKeyword('order')) {
      this.i++;
      this.keyword('by');
      do {
        const name = this.col(this.expect('id').v);
        let desc = false;
        if (this.isKeyword('asc') || this.isKeyword('desc')) desc = (this.toks[this.i++] as Tok).v.toLowerCase() === 'desc';
        q.orderBy.push({ name, desc });
      } while (this.punct(','));
    }
    if (this.i < this.toks.length) throw new SuiteQLError(`Syntax error near '${(this.toks[this.i] as Tok).v}'.`);
    return q;
  }

  private columns(): Array<{ name: string; alias: string }> | '*' {
    if (this.punct('*')) return '*';
    const cols: Array<{ name: string; alias: string }> = [];
    do {
      const tok = this.expect('id');
      if (this.peek()?.v === '(') throw new SuiteQLError(`Function '${tok.v}' is not supported by this simulator.`);
      let alias = tok.v.split('.').pop() as string;
      if (this.isKeyword('as')) {
        this.i++;
        alias = this.expect('id').v;
      } else if (this.peek()?.t === 'id' && !KEYWORDS.has((this.peek() as Tok).v.toLowerCase())) alias = (this.toks[this.i++] as Tok).v;
      cols.push({ name: tok.v, alias: alias.toLowerCase() });
    } while (this.punct(','));
    return cols;
  }

  /** Strips a `table.` or `alias.` prefix; column names are case-insensitive. */
  private col(name: string): string {
    const parts = name.toLowerCase().split('.');
    return parts.length > 1 ? (parts[parts.length - 1] as string) : (parts[0] as string);
  }

  private or(): Cond {
    let l = this.and();
    while (this.isKeyword('or')) {
      this.i++;
      l = { k: 'or', l, r: this.and() };
    }
    return l;
  }

  private and(): Cond {
    let l = this.unary();
    while (this.isKeyword('and')) {
      this.i++;
      l = { k: 'and', l, r: this.unary() };
    }
    return l;
  }

  private unary(): Cond {
    if (this.isKeyword('not')) {
      this.i++;
      return { k: 'not', e: this.unary() };
    }
    if (this.punct('(')) {
      const e = this.or();
      if (!this.punct(')')) throw new SuiteQLError("Syntax error: expected ')'.");
      return e;
    }
    const col = this.col(this.expect('id').v);
    if (this.isKeyword('is')) {
      this.i++;
      const negate = this.isKeyword('not') ? (this.i++, true) : false;
      this.keyword('null');
      return { k: 'null', col, negate };
    }
    const negate = this.isKeyword('not') ? (this.i++, true) : false;
    if (this.isKeyword('in')) {
      this.i++;
      if (!this.punct('(')) throw new SuiteQLError("Syntax error: expected '(' after IN.");
      const values: Value[] = [this.value()];
      while (this.punct(',')) values.push(this.value());
      if (!this.punct(')')) throw new SuiteQLError("Syntax error: expected ')' after the IN list.");
      return { k: 'in', col, values, negate };
    }
    if (this.isKeyword('like')) {
      this.i++;
      return { k: 'like', col, pattern: this.expect('str').v, negate };
    }
    const op = this.peek();
    if (negate || op?.t !== 'op' || !['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.v))
      throw new SuiteQLError(`Syntax error: expected a comparison after '${col}'.`);
    this.i++;
    return { k: 'cmp', col, op: op.v === '!=' ? '<>' : op.v, v: this.value() };
  }

  private value(): Value {
    const t = this.peek();
    if (t?.t === 'str') return (this.i++, t.v);
    if (t?.t === 'num') return (this.i++, Number(t.v));
    if (this.isKeyword('null')) return (this.i++, null);
    throw new SuiteQLError(`Syntax error: expected a value, found '${t?.v ?? 'end of query'}'.`);
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t?.t === 'id' && t.v.toLowerCase() === word;
  }
  private keyword(word: string): void {
    if (!this.isKeyword(word)) throw new SuiteQLError(`Syntax error: expected ${word.toUpperCase()}.`);
    this.i++;
  }
  private punct(p: string): boolean {
    const t = this.peek();
    if (t?.t === 'op' && t.v === p) return (this.i++, true);
    return false;
  }
  private expect(kind: Tok['t']): Tok {
    const t = this.peek();
    if (t?.t !== kind)
      throw new SuiteQLError(
        `Syntax error: expected ${kind === 'id' ? 'a name' : kind === 'num' ? 'a number' : 'a string'}, found '${t?.v ?? 'end of query'}'.`,
      );
    this.i++;
    return t;
  }
}

export function parseSuiteQL(sql: string): SuiteQLQuery {
  return new Parser(tokenize(sql)).query();
}

/** Columns referenced anywhere in the query, to report unknown ones by name. */
export function referencedColumns(q: SuiteQLQuery): string[] {
  const out = new Set<string>();
  if (q.columns !== '*') for (const c of q.columns) out.add(c.name);
  for (const o of q.orderBy) out.add(o.name);
  const walk = (c: Cond | undefined): void => {
    if (!c) return;
    switch (c.k) {
      case 'and':
      case 'or':
        walk(c.l);
        walk(c.r);
        return;
      case 'not':
        return walk(c.e);
      default:
        out.add(c.col);
    }
  };
  walk(q.where);
  return [...out];
}

export function runSuiteQL(q: SuiteQLQuery, rows: SuiteQLRow[]): Array<Record<string, string>> {
  let out = q.where ? rows.filter((r) => test(q.where as Cond, r)) : [...rows];
  for (const o of [...q.orderBy].reverse()) out = [...out].sort((a, b) => order(a[o.name], b[o.name]) * (o.desc ? -1 : 1));
  if (q.top !== undefined) out = out.slice(0, q.top);
  return out.map((r) => {
    const picked: Record<string, string> = {};
    const cols = q.columns === '*' ? Object.keys(r).map((name) => ({ name, alias: name })) : q.columns;
    for (const c of cols) {
      const v = r[c.name];
      if (v !== null && v !== undefined) picked[c.alias] = typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v);
    }
    return picked;
  });
}

function order(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && String(a).trim() !== '' && String(b).trim() !== '') return na - nb;
  return String(a) < String(b) ? -1 : 1;
}

function test(c: Cond, r: SuiteQLRow): boolean {
  switch (c.k) {
    case 'and':
      return test(c.l, r) && test(c.r, r);
    case 'or':
      return test(c.l, r) || test(c.r, r);
    case 'not':
      return !test(c.e, r);
    case 'null': {
      const isNull = r[c.col] === null || r[c.col] === undefined || r[c.col] === '';
      return c.negate ? !isNull : isNull;
    }
    case 'in': {
      const hit = c.values.some((v) => v !== null && equal(r[c.col], v));
      return c.negate ? !hit : hit;
    }
    case 'like': {
      const re = new RegExp(
        `^${c.pattern
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')
          .replace(/_/g, '.')}$`,
        'is',
      );
      const hit = re.test(String(r[c.col] ?? ''));
      return c.negate ? !hit : hit;
    }
    case 'cmp': {
      const a = r[c.col];
      if (a === null || a === undefined || c.v === null) return false;
      if (c.op === '=') return equal(a, c.v);
      if (c.op === '<>') return !equal(a, c.v);
      const cmp = order(typeof a === 'boolean' ? (a ? 'T' : 'F') : a, c.v);
      return c.op === '<' ? cmp < 0 : c.op === '<=' ? cmp <= 0 : c.op === '>' ? cmp > 0 : cmp >= 0;
    }
  }
}

function equal(a: unknown, v: string | number): boolean {
  if (typeof a === 'boolean') return (a ? 'T' : 'F') === String(v).toUpperCase();
  if (typeof v === 'number') return Number(a) === v;
  return String(a) === v;
}
