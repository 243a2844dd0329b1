import type { RecordData } from '../core/record-store';

/**
 * Fusion's `q` parameter in its two forms: the old `Attr=value;Attr2=value` and the row-match
 * expressions of framework 2+ (`InvoiceNumber = 'INV-1' and InvoiceAmount > 100`). Only the
 * conjunctive subset is modelled: `=`, `!=`, `<`, `<=`, `>`, `>=`, `LIKE` (with `%`), joined by
 * `;` or `and`.
 */
export interface Condition {
  attribute: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';
  value: string;
}

export type ParsedQuery = { ok: true; conditions: Condition[] } | { ok: false; message: string };

/** Splits on `;` and ` and ` outside single quotes. */
function splitConjunction(q: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < q.length; i++) {
    const ch = q[i] as string;
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === ';') {
      parts.push(current);
      current = '';
      continue;
    }
    if (!quoted && /^\s+and\s+/i.test(q.slice(i)) && /\s/.test(ch)) {
      const match = /^\s+and\s+/i.exec(q.slice(i)) as RegExpExecArray;
      parts.push(current);
      current = '';
      i += match[0].length - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseQ(q: string, attributes: ReadonlySet<string>): ParsedQuery {
  const conditions: Condition[] = [];
  for (const part of splitConjunction(q)) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>|\s+LIKE\s+)\s*(.*)$/i.exec(part);
    if (!m) return { ok: false, message: `URL request parameter q with value ${q} is not valid: cannot read the condition ${part}` };
    const attribute = m[1] as string;
    if (!attributes.has(attribute)) return { ok: false, message: `URL request parameter q with value ${q} is not valid: attribute ${attribute} does not exist` };
    let raw = (m[3] as string).trim();
    if (raw.startsWith("'")) {
      if (!raw.endsWith("'") || raw.length < 2) return { ok: false, message: `URL request parameter q with value ${q} is not valid: unterminated string in ${part}` };
      raw = raw.slice(1, -1).replace(/''/g, "'");
    }
    conditions.push({ attribute, op: (m[2] as string).trim().toUpperCase() as Condition['op'], value: raw });
  }
  return { ok: true, conditions };
}

function compare(a: unknown, b: string): number {
  const an = typeof a === 'number' ? a : Number(a);
  const bn = Number(b);
  if (a !== null && a !== '' && b !== '' && Number.isFinite(an) && Number.isFinite(bn)) return an - bn;
  return String(a ?? '').localeCompare(b);
}

export function matches(row: RecordData, conditions: Condition[]): boolean {
  return conditions.every((c) => {
    const v = row[c.attribute];
    switch (c.op) {
      case '=':
        return v !== undefined && compare(v, c.value) === 0;
      case '!=':
        return v === undefined || compare(v, c.value) !== 0;
      case '<':
        return v !== undefined && compare(v, c.value) < 0;
      case '<=':
        return v !== undefined && compare(v, c.value) <= 0;
      case '>':
        return v !== undefined && compare(v, c.value) > 0;
      case '>=':
        return v !== undefined && compare(v, c.value) >= 0;
      case 'LIKE': {
        const pattern = new RegExp(`^${c.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i');
        return typeof v === 'string' && pattern.test(v);
      }
    }
  });
}
