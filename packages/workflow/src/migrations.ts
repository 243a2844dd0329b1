import { CURRENT_SCHEMA_VERSION } from './graph';

/**
 * Ordered graph-JSON migrations. Stored drafts and published versions keep the schemaVersion they
 * were written with; every reader upgrades them on the way in (validateGraph runs migrateGraph
 * first), so old versions stay runnable without rewriting rows.
 *
 * Each migration takes a graph of version `from` and returns a new object of version `from + 1`. It
 * must not mutate its input and must tolerate malformed input (leave what it does not understand
 * for validation to report) because it runs before validation.
 */
export interface GraphMigration {
  from: number;
  description: string;
  /** Returns the upgraded graph; migrateGraph stamps `schemaVersion: from + 1` on it. */
  migrate(graph: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** Graphs without a schemaVersion predate versioning; they are version 0. */
export const UNVERSIONED_SCHEMA_VERSION = 0;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * v0 → v1: early drafts wrote edges as `{ from, to, port? }` and had no edge ids or settings.
 * v1 names them `source`, `target`, `sourcePort` and requires an id per edge.
 */
const edgesFromToSourceTarget: GraphMigration = {
  from: 0,
  description: 'edges { from, to, port } become { id, source, target, sourcePort }; settings defaults to {}',
  migrate(graph) {
    const edges = graph.edges;
    const taken = new Set<unknown>(Array.isArray(edges) ? edges.map((e: unknown) => (isRecord(e) ? e.id : undefined)) : []);
    let counter = 0;
    const freshId = (): string => {
      let id: string;
      do id = `edge-${++counter}`;
      while (taken.has(id));
      taken.add(id);
      return id;
    };
    const migrated = Array.isArray(edges)
      ? edges.map((edge: unknown) => {
          if (!isRecord(edge) || !('from' in edge || 'to' in edge)) return edge;
          const { from, to, port, ...rest } = edge;
          return {
            ...rest,
            id: rest.id ?? freshId(),
            source: rest.source ?? from,
            target: rest.target ?? to,
            ...(port !== undefined && rest.sourcePort === undefined ? { sourcePort: port } : {}),
          };
        })
      : edges;
    return { ...graph, edges: migrated, settings: graph.settings ?? {} };
  },
};

export const graphMigrations: readonly GraphMigration[] = [edgesFromToSourceTarget];

/** The declared version: a missing one means 0; a value that is not a non-negative integer is returned as is. */
export function schemaVersionOf(raw: Readonly<Record<string, unknown>>): unknown {
  return raw.schemaVersion === undefined ? UNVERSIONED_SCHEMA_VERSION : raw.schemaVersion;
}

/**
 * Upgrades `raw` to `targetVersion` (default: the current one). Input it cannot upgrade (not an
 * object, an unknown or future schemaVersion, a missing step) comes back unchanged for validation to
 * report. Never throws and never mutates `raw`.
 */
export function migrateGraph(
  raw: unknown,
  migrations: readonly GraphMigration[] = graphMigrations,
  targetVersion: number = CURRENT_SCHEMA_VERSION,
): unknown {
  if (!isRecord(raw)) return raw;
  const byFrom = new Map(migrations.map((m) => [m.from, m]));
  let current: Record<string, unknown> = raw;
  let version = schemaVersionOf(raw);
  while (typeof version === 'number' && Number.isInteger(version) && version < targetVersion) {
    const step = byFrom.get(version);
    if (!step) return current;
    let next: Record<string, unknown>;
    try {
      next = { ...step.migrate(current), schemaVersion: version + 1 };
    } catch {
      // A getter or proxy in hostile input threw; validation will describe what it can read.
      return current;
    }
    current = next;
    version = version + 1;
  }
  return current;
}
