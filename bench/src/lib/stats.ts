/** Round-level statistics: every figure in the report is the median of its rounds, with the spread. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max − min) / median, in percent: how far apart the rounds were. */
  spreadPct: number;
  rounds: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new RangeError('summarize: no finite values');
  const med = median(finite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return { median: med, min, max, spreadPct: med === 0 ? 0 : ((max - min) / Math.abs(med)) * 100, rounds: [...finite] };
}

/** Nearest-rank percentile of unsorted samples (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Least-squares slope of v over t (units of v per unit of t); 0 for fewer than two points. */
export function slope(points: ReadonlyArray<{ t: number; v: number }>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Rounds to a number of significant digits, for readable reports without losing magnitude. */
export function sig(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export function describeSummary(s: Summary, unit: string): string {
  const rounds = s.rounds.map((r) => sig(r)).join(', ');
  return `median ${sig(s.median)} ${unit} (min ${sig(s.min)}, max ${sig(s.max)}, spread ${sig(s.spreadPct, 2)} %; rounds: ${rounds})`;
}
