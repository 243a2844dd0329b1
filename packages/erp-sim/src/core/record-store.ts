export type RecordData = Record<string, unknown>;

export interface StoredRecord {
  /** The simulated tenant/account/company-system the record belongs to. */
  account: string;
  /** Vendor record type or entity set, e.g. `salesOrder`, `customers`, `A_SalesOrder`. */
  kind: string;
  id: string;
  /** Optional sub-scope inside an account (Business Central company id). */
  scope?: string;
  data: RecordData;
  /** Bumped on every change; the source of ETags. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * In-memory records per account and kind, in insertion order. Every read hands out copies so a
 * caller (or a test) can never change stored state by mutating what it got back.
 */
export class RecordStore {
  private readonly byAccount = new Map<string, Map<string, Map<string, StoredRecord>>>();
  private readonly sequences = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Next number of a named sequence within an account (document numbers, internal ids). */
  nextSequence(account: string, name: string, start = 1): number {
    const key = `${account}\u0000${name}`;
    const value = this.sequences.get(key) ?? start;
    this.sequences.set(key, value + 1);
    return value;
  }

  insert(account: string, kind: string, id: string, data: RecordData, scope?: string): StoredRecord {
    const table = this.table(account, kind);
    if (table.has(id)) throw new Error(`record ${kind}/${id} already exists in ${account}`);
    const at = this.now();
    const record: StoredRecord = { account, kind, id, data: structuredClone(data), version: 1, createdAt: at, updatedAt: at };
    if (scope !== undefined) record.scope = scope;
    table.set(id, record);
    return clone(record);
  }

  get(account: string, kind: string, id: string): StoredRecord | undefined {
    const found = this.byAccount.get(account)?.get(kind)?.get(id);
    return found ? clone(found) : undefined;
  }

  /** Replaces the data of an existing record; returns undefined when it does not exist. */
  replace(account: string, kind: string, id: string, data: RecordData): StoredRecord | undefined {
    const found = this.byAccount.get(account)?.get(kind)?.get(id);
    if (!found) return undefined;
    found.data = structuredClone(data);
    found.version += 1;
    found.updatedAt = this.now();
    return clone(found);
  }

  delete(account: string, kind: string, id: string): boolean {
    return this.byAccount.get(account)?.get(kind)?.delete(id) ?? false;
  }

  list(account: string, kind: string, scope?: string): StoredRecord[] {
    const table = this.byAccount.get(account)?.get(kind);
    if (!table) return [];
    const out: StoredRecord[] = [];
    for (const r of table.values()) if (scope === undefined || r.scope === scope) out.push(clone(r));
    return out;
  }

  find(account: string, kind: string, predicate: (r: StoredRecord) => boolean, scope?: string): StoredRecord | undefined {
    return this.list(account, kind, scope).find(predicate);
  }

  /** Every record of a kind, across accounts unless one is named. */
  all(kind: string, account?: string): StoredRecord[] {
    const accounts = account === undefined ? [...this.byAccount.keys()] : [account];
    return accounts.flatMap((a) => this.list(a, kind));
  }

  /** Counts per account and kind, for the admin overview. */
  summary(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [account, kinds] of this.byAccount) {
      out[account] = {};
      for (const [kind, table] of kinds) out[account][kind] = table.size;
    }
    return out;
  }

  reset(account?: string): void {
    if (account === undefined) {
      this.byAccount.clear();
      this.sequences.clear();
      return;
    }
    this.byAccount.delete(account);
    for (const key of [...this.sequences.keys()]) if (key.startsWith(`${account}\u0000`)) this.sequences.delete(key);
  }

  private table(account: string, kind: string): Map<string, StoredRecord> {
    let kinds = this.byAccount.get(account);
    if (!kinds) {
      kinds = new Map();
      this.byAccount.set(account, kinds);
    }
    let table = kinds.get(kind);
    if (!table) {
      table = new Map();
      kinds.set(kind, table);
    }
    return table;
  }
}

function clone(record: StoredRecord): StoredRecord {
  return structuredClone(record);
}
