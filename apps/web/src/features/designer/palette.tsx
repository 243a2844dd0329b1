'use client';
import type { NodeKindMetadata } from '@switchyard/workflow';
import { useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { kindList } from './kinds';
import { nodeIcon } from './node-icons';
import { CATEGORY_LABELS, type DesignerCategory } from './node-types';
import styles from './designer.module.css';

export const PALETTE_MIME = 'application/x-switchyard-kind';

const CATEGORY_ORDER: DesignerCategory[] = ['trigger', 'data', 'logic', 'action', 'system'];

export function matchesSearch(kind: NodeKindMetadata, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [kind.displayName, kind.kind, kind.description, kind.category].some((text) => text.toLowerCase().includes(q));
}

/**
 * Node kinds grouped by category; drag one onto the canvas, or click (or Enter) to add it at the
 * centre. Keyboard: "/" focuses the search, Up/Down (Home/End) move through the kinds, Enter in the
 * search adds the first match, Escape clears it.
 */
export function Palette({ onAdd, searchRef }: { onAdd: (kind: string) => void; searchRef?: RefObject<HTMLInputElement | null> }) {
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const groups = useMemo(
    () =>
      CATEGORY_ORDER.map((category) => ({ category, kinds: kindList.filter((k) => k.category === category && matchesSearch(k, query)) })).filter(
        (g) => g.kinds.length > 0,
      ),
    [query],
  );
  const first = groups[0]?.kinds[0];

  const items = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('[data-palette-item]') ?? [])];
  const moveFocus = (e: KeyboardEvent<HTMLElement>) => {
    const all = items();
    if (all.length === 0) return;
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = at < 0 ? 0 : Math.min(at + 1, all.length - 1);
    else if (e.key === 'ArrowUp') next = at <= 0 ? -1 : at - 1;
    else if (e.key === 'Home' && at >= 0) next = 0;
    else if (e.key === 'End' && at >= 0) next = all.length - 1;
    if (next === null) return;
    e.preventDefault();
    if (next < 0) searchRef?.current?.focus();
    else all[next]?.focus();
  };

  return (
    <aside className={styles.palette} aria-label="Node kinds" data-testid="palette" onKeyDown={moveFocus}>
      <input
        ref={searchRef}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && first) {
            e.preventDefault();
            onAdd(first.kind);
          } else if (e.key === 'Escape' && query) {
            e.preventDefault();
            e.stopPropagation();
            setQuery('');
          }
        }}
        aria-describedby="palette-keys"
        className="input"
        type="search"
        placeholder="Search node kinds"
        aria-label="Search node kinds"
        data-testid="palette-search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div id="palette-keys" className="visually-hidden">
        Arrow keys move through the node kinds; Enter adds the focused kind, or the first match from the search.
      </div>
      <div className={styles.paletteGroups} ref={listRef}>
        {groups.map((group) => (
          <section key={group.category}>
            <h3 className={styles.paletteHeading}>{CATEGORY_LABELS[group.category]}</h3>
            <ul className={styles.paletteList}>
              {group.kinds.map((kind) => (
                <li key={kind.kind}>
                  <button
                    type="button"
                    className={`${styles.paletteItem} ${styles[`cat_${kind.category}`] ?? ''}`}
                    draggable
                    data-palette-item
                    data-testid={`palette-item-${kind.kind}`}
                    title={`${kind.description}\nDrag onto the canvas or click to add.`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, kind.kind);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(kind.kind)}
                  >
                    <PaletteMark kind={kind.kind} icon={kind.icon} />
                    <span className={styles.paletteText}>
                      <span className={styles.paletteName}>{kind.displayName}</span>
                      <span className={styles.paletteDesc}>{kind.description}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 && <p className="muted">No node kind matches “{query}”.</p>}
      </div>
    </aside>
  );
}

function PaletteMark({ kind, icon }: { kind: string; icon: string }) {
  const mark = nodeIcon(kind, icon);
  return (
    <span className={styles.paletteIcon} style={mark.style} data-long={mark.mark.length > 2 || undefined} aria-hidden>
      {mark.mark}
    </span>
  );
}
