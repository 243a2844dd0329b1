'use client';
import { useCallback, useEffect, useState } from 'react';

/**
 * Saved run filters, per tenant, in the browser's localStorage (`switchyard.runFilters.<tenant>`).
 * They are a person's shortcuts (a query string and a name), not shared configuration, so they are
 * kept client-side: no table, no audit. Sharing a filter is sharing the page's URL.
 */

export interface SavedFilter {
  name: string;
  /** The runs page query string, without `?`. */
  query: string;
}

const MAX_SAVED = 30;
const keyOf = (tenant: string) => `switchyard.runFilters.${tenant}`;

export function parseSaved(raw: string | null): SavedFilter[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value
      .filter((v): v is SavedFilter => typeof v === 'object' && v !== null && typeof (v as SavedFilter).name === 'string' && typeof (v as SavedFilter).query === 'string')
      .slice(0, MAX_SAVED);
  } catch {
    // A hand-edited or corrupted entry must not break the runs page.
    return [];
  }
}

/** Adds or replaces (by name) a saved filter; newest first. */
export function withSaved(list: readonly SavedFilter[], entry: SavedFilter): SavedFilter[] {
  return [entry, ...list.filter((f) => f.name !== entry.name)].slice(0, MAX_SAVED);
}

export function useSavedFilters(tenant: string | null) {
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  useEffect(() => {
    setSaved(tenant ? parseSaved(window.localStorage.getItem(keyOf(tenant))) : []);
  }, [tenant]);
  const persist = useCallback(
    (next: SavedFilter[]) => {
      setSaved(next);
      if (tenant) window.localStorage.setItem(keyOf(tenant), JSON.stringify(next));
    },
    [tenant],
  );
  return {
    saved,
    save: (entry: SavedFilter) => persist(withSaved(saved, entry)),
    remove: (name: string) => persist(saved.filter((f) => f.name !== name)),
  };
}
