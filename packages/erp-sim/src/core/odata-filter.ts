/**
 * A small OData `$filter` interpreter covering what integration clients actually send: comparisons
 * (eq ne gt ge lt le), and/or/not, parentheses, string functions (v4 contains/startswith/endswith,
 * v2 substringof), and the literal forms of v2 and v4 ('text', numbers, true/false/null, bare
 * dates and GUIDs, datetime'…', guid'…').
 */

export class ODataFilterError extends Error {
  constructor(
    message: string,
    readonly property?: string,
  ) {
    super(message);
  }
}

type Literal = string | number | boolean | null;
type Operand = { k: 'prop'; name: string } | { k: 'lit'; value: Literal } | { k: 'call'; name: string; args: Operand[] };
type Expr = { k: 'and' | 'or'; l: Expr; r: Expr } | { k: 'not'; e: Expr } | { k: 'cmp'; op: CmpOp; l: Operand; r: Operand } | { k: 'bool'; e: Operand };
type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

const CMP_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS: Record<string, number> = { contains: 2, startswith: 2, endswith: 2, substringof: 2, tolower: 1, toupper: 1, trim: 1 };

type Token = { t: 'lit'; v: Literal } | { t: 'id'; v: string } | { t: 'punct'; v: '(' | ')' | ',' };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const rest = (): string => src.slice(i);
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch });
      i++;
      continue;
    }
    const typed = /^(datetime|datetimeoffset|guid|time)'([^']*)'/i.exec(rest());
    if (typed) {
      tokens.push({ t: 'lit', v: typed[2] as string });
      i += typed[0].length;
      continue;
    }
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ODataFilterError('Unterminated string literal in $filter.');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i];
        i++;
      }
      tokens.push({ t: 'lit', v: value });
      continue;
    }
    const bare =
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(rest()) ?? /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?/.exec(rest());
    if (bare) {
      tokens.push({ t: 'lit', v: bare[0] });
      i += bare[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/.exec(rest());
    if (num) {
      tokens.push({ t: 'lit', v: Number(num[0].replace(/[mMdDfFlL]$/, '')) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][\w./]*/.exec(rest());
    if (id) {
      const word = id[0];
      if (word === 'true' || word === 'false') tokens.push({ t: 'lit', v: word === 'true' });
      else if (word === 'null') tokens.push({ t: 'lit', v: null });
      else tokens.push({ t: 'id', v: word });
      i += word.length;
      continue;
    }
    throw new ODataFilterError(`Syntax error at position ${i} in '${src}'.`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly known: (name: string) => boolean,
  ) {}

  parse(): Expr {
    const e = this.or();
    if (this.pos < this.tokens.length) throw new ODataFilterError(`Syntax error: unexpected '${String(this.tokens[this.pos]?.v)}' in $filter.`);
    return e;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.pos];
    return t?.t === 'id' && t.v.toLowerCase() === word;
  }

  private or(): Expr {
    let l = this.and();
    while (this.peekWord('or')) {
      this.pos++;
      l = { k: 'or', l, r: this.and() };
    }
    return l;
  }

  private and(): Expr {
    let l = this.unary();
    while (this.peekWord('and')) {
      this.pos++;
      l = { k: 'and', l, r: this.unary() };
    }
    return l;
  }

  private unary(): Expr {
    if (this.peekWord('not')) {
      this.pos++;
      return { k: 'not', e: this.unary() };
    }
    const t = this.tokens[this.pos];
    if (t?.t === 'punct' && t.v === '(') {
      this.pos++;
      const e = this.or();
      this.expectPunct(')');
      return e;
    }
    const l = this.operand();
    const op = this.tokens[this.pos];
    if (op?.t === 'id' && CMP_OPS.has(op.v.toLowerCase())) {
      this.pos++;
      return { k: 'cmp', op: op.v.toLowerCase() as CmpOp, l, r: this.operand() };
    }
    if (l.k === 'call') return { k: 'bool', e: l };
    throw new ODataFilterError('Syntax error: expected a comparison operator (eq, ne, gt, ge, lt, le) in $filter.');
  }

  private operand(): Operand {
    const t = this.tokens[this.pos];
    if (!t) throw new ODataFilterError('Syntax error: $filter ends unexpectedly.');
    this.pos++;
    if (t.t === 'lit') return { k: 'lit', value: t.v };
    if (t.t === 'punct') throw new ODataFilterError(`Syntax error: unexpected '${t.v}' in $filter.`);
    const next = this.tokens[this.pos];
    if (next?.t === 'punct' && next.v === '(') {
      const name = t.v.toLowerCase();
      const arity = FUNCTIONS[name];
      if (arity === undefined) throw new ODataFilterError(`Unknown function '${t.v}' in $filter.`);
      this.pos++;
      const args: Operand[] = [this.operand()];
      while (this.tokens[this.pos]?.t === 'punct' && this.tokens[this.pos]?.v === ',') {
        this.pos++;
        args.push(this.operand());
      }
      this.expectPunct(')');
      if (args.length !== arity) throw new ODataFilterError(`Function '${name}' takes ${arity} argument(s).`);
      return { k: 'call', name, args };
    }
    if (!this.known(t.v)) throw new ODataFilterError(`Could not find a property named '${t.v}'.`, t.v);
    return { k: 'prop', name: t.v };
  }

  private expectPunct(p: string): void {
    const t = this.tokens[this.pos];
    if (t?.t !== 'punct' || t.v !== p) throw new ODataFilterError(`Syntax error: expected '${p}' in $filter.`);
    this.pos++;
  }
}

export type RowPredicate = (row: Record<string, unknown>) => boolean;

/** Compiles a `$filter` into a predicate; unknown properties and syntax errors throw ODataFilterError. */
export function compileODataFilter(filter: string, isKnownProperty: (name: string) => boolean): RowPredicate {
  const expr = new Parser(tokenize(filter), isKnownProperty).parse();
  return (row) => evaluate(expr, row);
}

function evaluate(e: Expr, row: Record<string, unknown>): boolean {
  switch (e.k) {
    case 'and':
      return evaluate(e.l, row) && evaluate(e.r, row);
    case 'or':
      return evaluate(e.l, row) || evaluate(e.r, row);
    case 'not':
      return !evaluate(e.e, row);
    case 'bool':
      return value(e.e, row) === true;
    case 'cmp':
      return compare(e.op, value(e.l, row), value(e.r, row));
  }
}

function value(o: Operand, row: Record<string, unknown>): unknown {
  if (o.k === 'lit') return o.value;
  if (o.k === 'prop')
    return o.name.split('/').reduce<unknown>((acc, key) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[key] : undefined), row);
  const args = o.args.map((a) => value(a, row));
  const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  switch (o.name) {
    case 'contains':
      return s(args[0]).includes(s(args[1]));
    case 'substringof':
      return s(args[1]).includes(s(args[0]));
    case 'startswith':
      return s(args[0]).startsWith(s(args[1]));
    case 'endswith':
      return s(args[0]).endsWith(s(args[1]));
    case 'tolower':
      return s(args[0]).toLowerCase();
    case 'toupper':
      return s(args[0]).toUpperCase();
    default:
      return s(args[0]).trim();
  }
}

function compare(op: CmpOp, a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (op === 'eq' || op === 'ne') {
    const same = a === null || b === null ? a === b : looselyEqual(a, b);
    return op === 'eq' ? same : !same;
  }
  if (a === null || b === null) return false;
  const [x, y] = typeof b === 'number' || typeof a === 'number' ? [Number(a), Number(b)] : [String(a), String(b)];
  if (op === 'gt') return x > y;
  if (op === 'ge') return x >= y;
  if (op === 'lt') return x < y;
  return x <= y;
}

/** SAP v2 sends decimals as strings ("10.00"); compare them to numeric literals by value. */
function looselyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return String(a) === String(b);
}
