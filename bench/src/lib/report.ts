import type { Stack } from './stack';

/** One figure of bench/report.json. `target` reads like "≥ 2000"; `pass` is null where there is no target or no value. */
export interface ResultEntry {
  id: string;
  value: number | null;
  unit: string;
  target: string | null;
  pass: boolean | null;
  method: string;
}

export interface Section {
  title: string;
  body: string;
}

export interface ScenarioOutput {
  results: ResultEntry[];
  sections: Section[];
}

/** Figures one scenario hands to a later one (the ceiling needs the cost and the end-to-end rate). */
export interface Shared {
  e2eRunsPerS?: number;
  txPerRun?: number;
  tableBytesPerRun?: number;
  walBytesPerRun?: number;
  ingestTxPerRun?: number;
}

export interface ScenarioContext {
  stack: Stack;
  smoke: boolean;
  shared: Shared;
}

export interface Scenario {
  name: string;
  /** Result ids this scenario produces, so a crash can still list them as not measured. */
  ids: string[];
  run(ctx: ScenarioContext): Promise<ScenarioOutput>;
}

export type Target = { op: '>=' | '<='; value: number } | null;

export function result(id: string, value: number | null, unit: string, target: Target, method: string): ResultEntry {
  const pass = target === null || value === null ? null : target.op === '>=' ? value >= target.value : value <= target.value;
  return { id, value, unit, target: target ? `${target.op === '>=' ? '≥' : '≤'} ${target.value}` : null, pass, method };
}

export const atLeast = (value: number): Target => ({ op: '>=', value });
export const atMost = (value: number): Target => ({ op: '<=', value });

export function notMeasured(id: string, unit: string, reason: string): ResultEntry {
  return { id, value: null, unit, target: null, pass: null, method: `not measured: ${reason}` };
}
