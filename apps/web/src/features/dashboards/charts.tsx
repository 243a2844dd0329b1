'use client';
import { formatDuration } from '@/lib/format';
import styles from './dashboards.module.css';

/**
 * Small SVG charts. Three shapes cover the dashboards (bars over time, a rate line, paired bars per
 * row), so plain SVG with CSS colours costs less than a chart library in every page's bundle and
 * renders identically on the server and in the screenshots.
 */

const W = 640;
const H = 180;
const PAD = { left: 40, right: 8, top: 10, bottom: 22 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  const n = value / exp;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * exp;
}

const timeLabel = (d: Date) => d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export interface StackedPoint {
  at: Date;
  values: number[];
}

/** Stacked bars per time bucket; `series` names and colours the stack from the bottom. */
export function StackedBars({ points, series, unit, testId }: { points: StackedPoint[]; series: { name: string; className: string }[]; unit: string; testId: string }) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.values.reduce((a, b) => a + b, 0))));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, points.length);
  const barW = Math.max(1, slot * 0.75);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <figure className={styles.chart} data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${series.map((s) => s.name).join(', ')} per bucket`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className={styles.grid} x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} />
            <text className={styles.axis} x={PAD.left - 4} y={y(max * f) + 3} textAnchor="end">
              {formatNumber(max * f)}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          let base = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={p.at.getTime()}>
              <title>{`${timeLabel(p.at)}: ${series.map((s, k) => `${s.name} ${formatNumber(p.values[k] ?? 0)}`).join(', ')} ${unit}`}</title>
              {p.values.map((v, k) => {
                if (v <= 0) return null;
                const top = y(base + v);
                const height = y(base) - top;
                base += v;
                return <rect key={k} className={series[k]?.className} x={x} y={top} width={barW} height={Math.max(0.5, height)} />;
              })}
              {i % labelEvery === 0 && (
                <text className={styles.axis} x={x + barW / 2} y={H - 6} textAnchor="middle">
                  {timeLabel(p.at)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className={styles.legend}>
        {series.map((s) => (
          <span key={s.name}>
            <i className={s.className} /> {s.name}
          </span>
        ))}
        <span className="faint">{unit}</span>
      </figcaption>
    </figure>
  );
}

/** A rate (0–1) over time; buckets without finished runs leave a gap rather than a fake 0 %. */
export function RateLine({ points, testId }: { points: { at: Date; rate: number | null }[]; testId: string }) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const y = (r: number) => PAD.top + innerH - r * innerH;
  const segments: string[] = [];
  let current = '';
  points.forEach((p, i) => {
    if (p.rate === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.rate).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <figure className={styles.chart} data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Success rate over time">
        {[0, 0.5, 0.9, 1].map((f) => (
          <g key={f}>
            <line className={styles.grid} x1={PAD.left} x2={W - PAD.right} y1={y(f)} y2={y(f)} />
            <text className={styles.axis} x={PAD.left - 4} y={y(f) + 3} textAnchor="end">
              {Math.round(f * 100)}%
            </text>
          </g>
        ))}
        {segments.map((d) => (
          <path key={d} className={styles.line} d={d} />
        ))}
        {points.map((p, i) =>
          p.rate === null ? null : (
            <circle key={p.at.getTime()} className={styles.dot} cx={x(i)} cy={y(p.rate)} r={2.5}>
              <title>{`${timeLabel(p.at)}: ${(p.rate * 100).toFixed(1)} %`}</title>
            </circle>
          ),
        )}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={p.at.getTime()} className={styles.axis} x={x(i)} y={H - 6} textAnchor="middle">
              {timeLabel(p.at)}
            </text>
          ) : null,
        )}
      </svg>
    </figure>
  );
}

/** p50 and p95 per row (workflow or endpoint) as paired horizontal bars on one scale. */
export function DurationBars({ rows, testId }: { rows: { label: string; p50: number | null; p95: number | null }[]; testId: string }) {
  const max = niceMax(Math.max(0, ...rows.map((r) => r.p95 ?? 0)));
  return (
    <div className={styles.hbars} data-testid={testId}>
      {rows.map((r) => (
        <div key={r.label} className={styles.hbarRow} data-testid="duration-row">
          <span className={styles.hbarLabel} title={r.label}>
            {r.label}
          </span>
          <span className={styles.hbarTrack}>
            <span className={`${styles.hbar} ${styles.p95}`} style={{ width: `${((r.p95 ?? 0) / max) * 100}%` }} />
            <span className={`${styles.hbar} ${styles.p50}`} style={{ width: `${((r.p50 ?? 0) / max) * 100}%` }} />
          </span>
          <span className={styles.hbarValue}>
            {formatDuration(r.p50)} / {formatDuration(r.p95)}
          </span>
        </div>
      ))}
      <div className={styles.legend}>
        <span>
          <i className={styles.p50} /> p50
        </span>
        <span>
          <i className={styles.p95} /> p95
        </span>
      </div>
    </div>
  );
}

export function formatNumber(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(n < 10 ? 2 : 1)));
}
