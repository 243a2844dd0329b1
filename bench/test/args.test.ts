import { describe, expect, it } from 'vitest';
import { UsageError, parseBenchArgs } from '../src/lib/args';

const names = ['ingest', 'sync'];

describe('parseBenchArgs', () => {
  it('builds the web app for full runs and reuses it for smoke runs', () => {
    expect(parseBenchArgs([], names)).toEqual({ smoke: false, only: [], build: true });
    expect(parseBenchArgs(['--smoke'], names)).toEqual({ smoke: true, only: [], build: 'if-missing' });
    expect(parseBenchArgs(['--no-build'], names).build).toBe('if-missing');
  });

  it('accepts known scenario names only', () => {
    expect(parseBenchArgs(['--only', 'sync,ingest'], names).only).toEqual(['sync', 'ingest']);
    expect(() => parseBenchArgs(['--only', 'ingest,nope'], names)).toThrow(/unknown scenario "nope"; choose from ingest, sync/);
  });

  it('names an unknown flag', () => {
    expect(() => parseBenchArgs(['--fast'], names)).toThrow(UsageError);
    expect(() => parseBenchArgs(['--fast'], names)).toThrow(/--fast/);
  });

  it('rejects contradicting build flags', () => {
    expect(() => parseBenchArgs(['--build', '--no-build'], names)).toThrow(/contradict/);
  });
});
