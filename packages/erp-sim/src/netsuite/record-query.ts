import type { RecordData } from '../core/record-store';

/**
 * The `q` parameter of record collection requests: `field OPERATOR value`, joined with AND / OR
 * (AND binds tighter), e.g. `externalId IS "SO-1"` or `email START_WITH "ann" AND isPerson IS true`.
 */
export class RecordQueryError extends Error {}

const UNARY = new Set(['EMPTY', 'EMPTY_NOT']);
const OPERATORS = new Set([
  'IS',
  'IS_NOT',
  'EQUAL',
  'NOT_EQUAL',
  'GREATER',
  'GREATER_OR_EQUAL',
  'LESS',
  'LESS_OR_EQUAL',
  'CONTAIN',
  'CONTAIN_NOT',
  'START_WITH',
  'START_WITH_NOT',
  'END_WITH',
  'END_WITH_NOT',
  'ANY_OF',
  'EMPTY',
  'EMPTY_NOT',
  'AFTER',
  'BEFORE',
  'ON',
  'ON_OR_AFTER',
  'ON_OR_BEFORE',
]);

interface Condition {
  field: string;
  op: string;
  values: string[];
}

/** A record's searchable body fields: scalars as they are, references by their id. */
export function flattenFields(data: RecordData): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === null || typeof v !== 'object') row[k] = v;
    else if (!Array.isArray(v) && 'id' in v) row[k] = (v as { id: unknown }).id;
  }
  return row;
}

function tokenize(q: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+)|(,))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < q.length && (m = re.exec(q))) {
    if (m[1] !== undefined) out.push(`"${m[1].replace(/\\(.)/g, '$1')}`);
    else out.push(m[2] ?? ',');
  }
  if (q.slice(re.lastIndex).trim() !== '') throw new RecordQueryError(`Invalid query near '${q.slice(re.lastIndex)}'.`);
  return out;
}

const literal = (token: string): string => (token.startsWith('"') ? token.slice(1) : token);

/** Compiles `q` into a predicate over records; throws RecordQueryError naming what is wrong. */
export function compileRecordQuery(q: string, knownFields: Set<string>): (data: RecordData) => boolean {
  const tokens = tokenize(q);
  const groups: Condition[][] = [[]];
  let i = 0;
  while (i < tokens.length) {
    const field = tokens[i++] as string;
    if (field.startsWith('"')) throw new RecordQueryError(`Invalid query: expected a field name, found a quoted value.`);
    if (!knownFields.has(field)) throw new RecordQueryError(`Invalid query: the field '${field}' is not a searchable field of this record type.`);
    const op = (tokens[i++] ?? '').toUpperCase();
    if (!OPERATORS.has(op)) throw new RecordQueryError(`Invalid query: '${op || '(nothing)'}' is not a supported operator for field '${field}'.`);
    const values: string[] = [];
    if (!UNARY.has(op)) {
      const first = tokens[i++];
      if (first === undefined) throw new RecordQueryError(`Invalid query: operator ${op} on '${field}' needs a value.`);
      values.push(literal(first));
      while (op === 'ANY_OF' && tokens[i] === ',') {
        i++;
        values.push(literal(tokens[i++] ?? ''));
      }
    }
    (groups[groups.length - 1] as Condition[]).push({ field, op, values });
    const joiner = tokens[i]?.toUpperCase();
    if (joiner === undefined) break;
    if (joiner !== 'AND' && joiner !== 'OR') throw new RecordQueryError(`Invalid query: expected AND or OR, found '${tokens[i]}'.`);
    i++;
    if (joiner === 'OR') groups.push([]);
  }
  return (data) => {
    const row = flattenFields(data);
    return groups.some((conds) => conds.every((c) => matches(row[c.field], c)));
  };
}

function matches(actual: unknown, c: Condition): boolean {
  const a = actual === undefined || actual === null ? '' : String(actual);
  const v = c.values[0] ?? '';
  const n = (x: string): number => Number(x);
  switch (c.op) {
    case 'IS':
    case 'EQUAL':
    case 'ON':
      return a.toLowerCase() === v.toLowerCase();
    case 'IS_NOT':
    case 'NOT_EQUAL':
      return a.toLowerCase() !== v.toLowerCase();
    case 'GREATER':
      return n(a) > n(v);
    case 'GREATER_OR_EQUAL':
      return n(a) >= n(v);
    case 'LESS':
      return n(a) < n(v);
    case 'LESS_OR_EQUAL':
      return n(a) <= n(v);
    case 'AFTER':
      return a > v;
    case 'BEFORE':
      return a !== '' && a < v;
    case 'ON_OR_AFTER':
      return a >= v;
    case 'ON_OR_BEFORE':
      return a !== '' && a <= v;
    case 'CONTAIN':
      return a.toLowerCase().includes(v.toLowerCase());
    case 'CONTAIN_NOT':
      return !a.toLowerCase().includes(v.toLowerCase());
    case 'START_WITH':
      return a.toLowerCase().startsWith(v.toLowerCase());
    case 'START_WITH_NOT':
      return !a.toLowerCase().startsWith(v.toLowerCase());
    case 'END_WITH':
      return a.toLowerCase().endsWith(v.toLowerCase());
    case 'END_WITH_NOT':
      return !a.toLowerCase().endsWith(v.toLowerCase());
    case 'ANY_OF':
      return c.values.some((x) => x.toLowerCase() === a.toLowerCase());
    case 'EMPTY':
      return a === '';
    default:
      return a !== '';
  }
}
