import { graph } from '../src/testing';

/** Freezes a value recursively, so that any mutation by the code under test throws (ESM is strict mode). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A small valid graph: webhook → transform → http request, with a condition branching after it. */
export function validBuilder() {
  return graph()
    .node('t', 'trigger.webhook', { path: 'orders' })
    .node('map', 'transform', { expression: '{"id": id}' })
    .node('call', 'http.request', { url: 'http://127.0.0.1:3000/api/health' })
    .node('check', 'condition', { expression: 'status = 200' })
    .node('ok', 'respond', {})
    .edge('t', 'map')
    .edge('map', 'call')
    .edge('call', 'check')
    .edge('check', 'ok', 'true');
}
