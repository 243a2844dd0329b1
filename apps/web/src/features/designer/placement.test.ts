import { describe, expect, it } from 'vitest';
import type { Graph } from '@switchyard/workflow';
import { freeSpot } from './placement';

const graphWith = (positions: { x: number; y: number }[]): Graph => ({
  schemaVersion: 1,
  nodes: positions.map((position, i) => ({ id: `n${i}`, kind: 'transform', position, config: {} })),
  edges: [],
  settings: {},
});

describe('freeSpot', () => {
  it('keeps the requested spot when it is free', () => {
    expect(freeSpot(graphWith([{ x: 1000, y: 1000 }]), { x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('moves below nodes that would be covered', () => {
    expect(freeSpot(graphWith([{ x: 0, y: 0 }, { x: 10, y: 120 }]), { x: 0, y: 0 })).toEqual({ x: 0, y: 240 });
  });
});
