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

  it('moves right of nodes that would be covered, then down', () => {
    expect(freeSpot(graphWith([{ x: 0, y: 0 }, { x: 260, y: 10 }]), { x: 0, y: 0 })).toEqual({ x: 480, y: 0 });
    const fullRow = graphWith([0, 1, 2, 3, 4, 5].map((i) => ({ x: i * 240, y: 0 })));
    expect(freeSpot(fullRow, { x: 0, y: 0 })).toEqual({ x: 0, y: 120 });
  });
});
