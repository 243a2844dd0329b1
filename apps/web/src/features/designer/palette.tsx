'use client';
import type { NodeKindMetadata } from '@switchyard/workflow';
import { useMemo, useState } from 'react';
import { kindList } from './kinds';
import { CATEGORY_LABELS, iconFor, type DesignerCategory } from './node-types';
import styles from './designer.module.css';

export const PALETTE_MIME = 'application/x-switchyard-kind';

const CATEGORY_ORDER: DesignerCategory[] = ['trigger', 'data', 'logic', 'action', 'system'];

export function matchesSearch(kind: NodeKindMetadata, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [kind.displayName, kind.kind, kind.description, kind.category].some((text) => text.toLowerCase().includes(q));
}

/** Node kinds grouped by category; drag one onto the canvas, or click (or Enter) to add it at the centre. */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () =>
      CATEGORY_ORDER.map((category) => ({ category, kinds: kindList.filter((k) => k.category === category && matchesSearch(k, query)) })).filter(
        (g) => g.kinds.length > 0,
      ),
    [query],
  );

  return (
    <aside className={styles.palette} aria-label="Node kinds" data-testid="palette">
      <input
        className="input"
        type="search"
        placeholder="Search node kinds"
        aria-label="Search node kinds"
        data-testid="palette-search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className={styles.paletteGroups}>
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
                    data-testid={`palette-item-${kind.kind}`}
                    title={`${kind.description}\nDrag onto the canvas or click to add.`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, kind.kind);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(kind.kind)}
                  >
                    <span className={styles.paletteIcon} aria-hidden>
                      {iconFor(kind.icon)}
                    </span>
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
