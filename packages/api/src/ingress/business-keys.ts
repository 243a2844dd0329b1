import { MAX_BUSINESS_KEY_LENGTH, MAX_BUSINESS_KEYS } from '@switchyard/db';
import { manualTrigger, webhookTrigger, type Graph } from '@switchyard/workflow';

/**
 * A run's business keys: its idempotency key plus the values at the trigger's `businessKeyPaths`
 * (dotted, numeric segments index arrays; an array of scalars at the path gives one key per item).
 * Unlike the idempotency key, a missing or non-scalar value is skipped, not an error: keys make
 * runs findable, they must never refuse a delivery.
 */
export function businessKeysOf(payload: unknown, paths: readonly string[] | undefined, idempotencyKey: string | null): string[] {
  const keys = new Set<string>();
  const add = (value: unknown) => {
    if (keys.size >= MAX_BUSINESS_KEYS) return;
    if ((typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value))) {
      const key = String(value).trim();
      if (key.length <= MAX_BUSINESS_KEY_LENGTH) keys.add(key);
    }
  };
  if (idempotencyKey) add(idempotencyKey);
  for (const path of paths ?? []) {
    const value = valueAt(payload, path);
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
  }
  return [...keys];
}

function valueAt(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The `businessKeyPaths` of the graph's trigger of the given kind (none when absent or invalid). */
export function businessKeyPathsOf(graph: Graph, kind: 'trigger.webhook' | 'trigger.manual'): string[] {
  const definition = kind === 'trigger.webhook' ? webhookTrigger : manualTrigger;
  const node = graph.nodes.find((n) => n.kind === kind);
  if (!node) return [];
  const parsed = definition.configSchema.safeParse(node.config ?? {});
  return parsed.success ? (parsed.data.businessKeyPaths ?? []) : [];
}
