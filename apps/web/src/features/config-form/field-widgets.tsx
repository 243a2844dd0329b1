'use client';
import { useState } from 'react';
import type { FieldSpec } from './schema-fields';
import styles from './config-form.module.css';

type Common = { id: string; 'aria-invalid': boolean; 'aria-describedby': string; 'data-testid': string };

/**
 * Text the user is typing may not be a valid value yet ("1.", "{", "a, "). Keep it locally and
 * emit only parsed values; when the value changes from outside (undo, another field), reset the text.
 */
function useDraftText(value: unknown, format: (v: unknown) => string) {
  const key = JSON.stringify(value) ?? 'undefined';
  const [draft, setDraft] = useState({ text: format(value), key, error: null as string | null });
  if (draft.key !== key) {
    const next = { text: format(value), key, error: null };
    setDraft(next);
    return [next, setDraft] as const;
  }
  return [draft, setDraft] as const;
}

export function NumberField({ field, value, onChange, ...common }: Common & { field: FieldSpec; value: unknown; onChange: (v: unknown) => void }) {
  const [draft, setDraft] = useDraftText(value, (v) => (typeof v === 'number' ? String(v) : ''));
  const update = (text: string) => {
    const trimmed = text.trim();
    if (trimmed === '') {
      setDraft({ text, key: 'undefined', error: null });
      onChange(undefined);
      return;
    }
    const n = Number(trimmed);
    if (!Number.isFinite(n) || (field.integer && !Number.isInteger(n))) {
      setDraft((d) => ({ ...d, text, error: field.integer ? 'Enter a whole number' : 'Enter a number' }));
      return;
    }
    setDraft({ text, key: JSON.stringify(n), error: null });
    onChange(n);
  };
  return (
    <>
      <input
        className="input"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        {...common}
        aria-invalid={common['aria-invalid'] || draft.error !== null}
        value={draft.text}
        placeholder={field.defaultValue === undefined ? undefined : String(field.defaultValue)}
        onChange={(e) => update(e.target.value)}
      />
      {draft.error && <div className="field-error">{draft.error}</div>}
    </>
  );
}

export function NumberListField({ value, onChange, ...common }: Common & { value: unknown; onChange: (v: unknown) => void }) {
  const [draft, setDraft] = useDraftText(value, (v) => (Array.isArray(v) ? v.join(', ') : ''));
  const update = (text: string) => {
    const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) {
      setDraft({ text, key: 'undefined', error: null });
      onChange(undefined);
      return;
    }
    const nums = parts.map(Number);
    const bad = parts.find((_, i) => !Number.isInteger(nums[i]));
    if (bad !== undefined) {
      setDraft((d) => ({ ...d, text, error: `"${bad}" is not a whole number` }));
      return;
    }
    setDraft({ text, key: JSON.stringify(nums), error: null });
    onChange(nums);
  };
  return (
    <>
      <input className="input mono" {...common} value={draft.text} placeholder="e.g. 200, 201" onChange={(e) => update(e.target.value)} />
      {draft.error && <div className="field-error">{draft.error}</div>}
    </>
  );
}

export function JsonField({ value, onChange, ...common }: Common & { value: unknown; onChange: (v: unknown) => void }) {
  const [draft, setDraft] = useDraftText(value, (v) => (v === undefined ? '' : JSON.stringify(v, null, 2)));
  const update = (text: string) => {
    if (text.trim() === '') {
      setDraft({ text, key: 'undefined', error: null });
      onChange(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      setDraft({ text, key: JSON.stringify(parsed), error: null });
      onChange(parsed);
    } catch (err) {
      setDraft((d) => ({ ...d, text, error: `Invalid JSON: ${(err as Error).message}` }));
    }
  };
  return (
    <>
      <textarea className="textarea mono" rows={4} spellCheck={false} {...common} value={draft.text} onChange={(e) => update(e.target.value)} />
      {draft.error && <div className="field-error">{draft.error}</div>}
    </>
  );
}

interface KvRow {
  key: string;
  value: string;
}

/** A string map edited as rows; rows with an empty name are kept on screen but not emitted. */
export function KeyValueField({ testId, value, onChange }: { testId: string; value: unknown; onChange: (v: unknown) => void }) {
  const toRows = (v: unknown): KvRow[] =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>).map(([key, val]) => ({ key, value: String(val ?? '') })) : [];
  const externalKey = JSON.stringify(value ?? {});
  const [state, setState] = useState({ rows: toRows(value), key: externalKey });
  let rows = state.rows;
  if (state.key !== externalKey) {
    rows = toRows(value);
    setState({ rows, key: externalKey });
  }

  const emit = (next: KvRow[]) => {
    const map: Record<string, string> = {};
    for (const r of next) if (r.key.trim() !== '') map[r.key.trim()] = r.value;
    setState({ rows: next, key: JSON.stringify(map) });
    onChange(map);
  };
  const duplicates = new Set(rows.map((r) => r.key.trim()).filter((k, i, all) => k !== '' && all.indexOf(k) !== i));

  return (
    <div className={styles.kv} data-testid={testId}>
      {rows.map((row, i) => (
        <div key={i} className={styles.kvRow}>
          <input
            className="input mono"
            aria-label="Name"
            data-testid={`${testId}-key-${i}`}
            aria-invalid={duplicates.has(row.key.trim())}
            value={row.key}
            placeholder="Name"
            onChange={(e) => emit(rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
          />
          <input
            className="input mono"
            aria-label="Value"
            data-testid={`${testId}-value-${i}`}
            value={row.value}
            placeholder="Value"
            onChange={(e) => emit(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
          />
          <button type="button" className="btn btn-ghost btn-sm" aria-label="Remove row" onClick={() => emit(rows.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      {duplicates.size > 0 && <div className="field-error">Duplicate name: {[...duplicates].join(', ')} (the last one wins)</div>}
      <button type="button" className={`btn btn-sm ${styles.kvAdd}`} data-testid={`${testId}-add`} onClick={() => setState({ rows: [...rows, { key: '', value: '' }], key: state.key })}>
        + Add
      </button>
    </div>
  );
}
