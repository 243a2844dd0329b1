import { rssMb } from './proc-stats';
import type { Stack } from './stack';

export interface BacklogPoint {
  /** Seconds since the sampler started. */
  t: number;
  backlog: number;
  phase: string;
}

export interface RssPoint {
  t: number;
  /** Largest VmRSS among the worker processes, MB. */
  maxMb: number;
}

/**
 * Samples the backlog (runs accepted but not finished) and the workers' resident memory on a fixed
 * period while a phase runs. Each backlog sample is one query (one transaction), counted so that
 * cost figures can take them out.
 */
export class Samplers {
  readonly backlog: BacklogPoint[] = [];
  readonly rss: RssPoint[] = [];
  queries = 0;
  phase = 'warm-up';
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly t0 = Date.now();

  constructor(
    private readonly stack: Stack,
    private readonly periodMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.periodMs);
  }

  private async tick(): Promise<void> {
    const t = (Date.now() - this.t0) / 1000;
    const sizes = this.stack.workers.map((w) => rssMb(w.pid)).filter((v): v is number => v !== null);
    if (sizes.length > 0) this.rss.push({ t, maxMb: Math.max(...sizes) });
    if (this.busy) return;
    this.busy = true;
    try {
      const backlog = await this.stack.backlog();
      this.queries += 1;
      this.backlog.push({ t, backlog, phase: this.phase });
    } catch {
      // A failed sample is a gap in the series, not a failed scenario.
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  seconds(): number {
    return (Date.now() - this.t0) / 1000;
  }
}
