import type { CSSProperties } from 'react';

/**
 * The mark a node kind shows on its card, in the palette and in the inspector. Nodes that talk to a
 * system carry that system's monogram in its colour (NS for NetSuite, SAP, BC, …), so a graph that
 * touches three ERPs reads at a glance; the rest show a glyph of what they do. Text, not icon fonts,
 * emoji or logos: it renders the same on every machine, offline, and needs no trademark artwork.
 */
export interface NodeIcon {
  mark: string;
  /** Overrides the category colour (`--cat`) for a system's monogram. */
  style?: CSSProperties;
  system?: string;
}

const GLYPHS: Record<string, string> = {
  play: '▶',
  webhook: '⚡',
  globe: '⇆',
  shuffle: 'ƒ',
  split: '◇',
  reply: '↩',
  clock: '◷',
  repeat: '↻',
  merge: '⋈',
  hourglass: '⧗',
  'check-circle': '✓',
  workflow: '⤷',
  database: '⛁',
  briefcase: '▣',
  'file-output': '⇩',
  'file-text': '≣',
  'folder-input': '⇧',
  plug: '⏻',
  radio: '◉',
  send: '➤',
};

/** Systems by the first segment of a kind name (`sap.record`) or of its trigger name (`trigger.sql-poll`). */
const SYSTEMS: Record<string, { mark: string; color: string; name: string }> = {
  netsuite: { mark: 'NS', color: '#1d4f91', name: 'NetSuite' },
  sap: { mark: 'SAP', color: '#0a6ed1', name: 'SAP S/4HANA' },
  'business-central': { mark: 'BC', color: '#00818a', name: 'Business Central' },
  workday: { mark: 'WD', color: '#c25e00', name: 'Workday' },
  'oracle-fusion': { mark: 'OF', color: '#c74634', name: 'Oracle Fusion' },
  'back-office': { mark: 'BO', color: '#6741d9', name: 'Billing / CRM / warehouse' },
  rest: { mark: 'API', color: '#1971c2', name: 'REST API' },
  sql: { mark: 'SQL', color: '#336791', name: 'SQL database' },
};

export function nodeIcon(kind: string, icon: string): NodeIcon {
  const [first = '', second = ''] = kind.split('.');
  const key = first === 'trigger' ? second.split('-')[0] ?? '' : first;
  const system = SYSTEMS[key];
  if (system) return { mark: system.mark, system: system.name, style: { '--cat': system.color } as CSSProperties };
  return { mark: GLYPHS[icon] ?? '•' };
}
