import { describe, expect, it } from 'vitest';
import { commit, HISTORY_LIMIT, initialHistory, redo, undo, type ApplyFn } from './history';

// A tiny stand-in for the workflow package: the graph is a record, ops set or delete one key.
type G = Record<string, number>;
type Op = { key: string; value: number | undefined };
const apply: ApplyFn<G, Op> = (graph, op) => {
  if (op.key === 'boom') throw new Error('invalid operation');
  const next = { ...graph };
  if (op.value === undefined) delete next[op.key];
  else next[op.key] = op.value;
  return { graph: next, inverse: { key: op.key, value: graph[op.key] } };
};

describe('graph history', () => {
  it('undoes and redoes a batch as one step', () => {
    let s = initialHistory<G, Op>({ a: 1 });
    s = commit(s, apply, [{ key: 'a', value: 2 }, { key: 'b', value: 3 }], { now: 0 });
    expect(s.graph).toEqual({ a: 2, b: 3 });
    s = undo(s, apply);
    expect(s.graph).toEqual({ a: 1 });
    s = redo(s, apply);
    expect(s.graph).toEqual({ a: 2, b: 3 });
  });

  it('merges edits with the same coalesce key inside the window, not outside it', () => {
    let s = initialHistory<G, Op>({ a: 0 });
    s = commit(s, apply, [{ key: 'a', value: 1 }], { coalesceKey: 'a', now: 0 });
    s = commit(s, apply, [{ key: 'a', value: 2 }], { coalesceKey: 'a', now: 500 });
    s = commit(s, apply, [{ key: 'a', value: 3 }], { coalesceKey: 'a', now: 5000 });
    expect(s.past).toHaveLength(2);
    s = undo(s, apply);
    expect(s.graph).toEqual({ a: 2 });
    s = undo(s, apply);
    expect(s.graph).toEqual({ a: 0 });
    s = redo(s, apply);
    expect(s.graph).toEqual({ a: 2 });
  });

  it('clears redo on a new edit and leaves the state untouched when an operation throws', () => {
    let s = initialHistory<G, Op>({});
    s = commit(s, apply, [{ key: 'a', value: 1 }], { now: 0 });
    s = undo(s, apply);
    s = commit(s, apply, [{ key: 'b', value: 1 }], { now: 1 });
    expect(s.future).toHaveLength(0);
    const before = s;
    expect(() => commit(s, apply, [{ key: 'c', value: 1 }, { key: 'boom', value: 1 }], { now: 2 })).toThrow('invalid operation');
    expect(s).toBe(before);
    expect(undo(initialHistory<G, Op>({}), apply).graph).toEqual({});
  });

  it('keeps at most HISTORY_LIMIT steps', () => {
    let s = initialHistory<G, Op>({});
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) s = commit(s, apply, [{ key: 'a', value: i }], { now: i * 10_000 });
    expect(s.past).toHaveLength(HISTORY_LIMIT);
  });
});
