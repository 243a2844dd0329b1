import type { BreakerPolicy } from '../policy/schema';

/**
 * The circuit breaker as pure transitions over its stored row (breaker.ts does the I/O). Times are
 * epoch milliseconds from the database clock, so every worker judges cooldowns alike.
 *
 * closed ──(N failures in a row, or failure ratio ≥ r over ≥ m calls in the window)──► open
 * open ──(cooldown over: one caller is handed the trial)──► half_open
 * half_open ──(trial succeeds)──► closed      half_open ──(trial fails)──► open
 */

export type BreakerStateName = 'closed' | 'open' | 'half_open';

export interface BreakerRow {
  state: BreakerStateName;
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
  windowStartedAt: number;
  openedAt: number | null;
  trialStartedAt: number | null;
}

export type BreakerDecision =
  /** `healthy`: closed with no failure in a row (only the lock-free check says so; absent means unknown). */
  | { allowed: true; trial: boolean; healthy?: boolean }
  | { allowed: false; state: 'open' | 'half_open'; retryAfterMs: number };

export function closedBreaker(now: number): BreakerRow {
  return { state: 'closed', consecutiveFailures: 0, windowCalls: 0, windowFailures: 0, windowStartedAt: now, openedAt: null, trialStartedAt: null };
}

/**
 * May a call go through now? While half-open exactly one trial is out at a time; a trial whose
 * caller never reports (its worker died) is handed out again after `trialTimeoutMs`.
 */
export function admitBreakerCall(row: BreakerRow, policy: BreakerPolicy, now: number, trialTimeoutMs: number): { decision: BreakerDecision; next: BreakerRow | null } {
  if (row.state === 'closed') return { decision: { allowed: true, trial: false }, next: null };
  if (row.state === 'open') {
    const reopensAt = (row.openedAt ?? now) + policy.cooldownMs;
    if (now < reopensAt) return { decision: { allowed: false, state: 'open', retryAfterMs: reopensAt - now }, next: null };
    return { decision: { allowed: true, trial: true }, next: { ...row, state: 'half_open', trialStartedAt: now } };
  }
  const trialEndsAt = (row.trialStartedAt ?? -Infinity) + trialTimeoutMs;
  if (now >= trialEndsAt) return { decision: { allowed: true, trial: true }, next: { ...row, trialStartedAt: now } };
  // The trial's result usually arrives well before its timeout; look again after a short while.
  const retryAfterMs = Math.max(1000, Math.min(trialEndsAt - now, policy.cooldownMs));
  return { decision: { allowed: false, state: 'half_open', retryAfterMs }, next: null };
}

/** Applies one call's outcome. */
export function applyBreakerOutcome(row: BreakerRow, policy: BreakerPolicy, now: number, success: boolean): BreakerRow {
  if (row.state === 'half_open') {
    return success ? closedBreaker(now) : { ...row, state: 'open', openedAt: now, trialStartedAt: null, consecutiveFailures: row.consecutiveFailures + 1 };
  }
  // A call let through before the breaker opened may report late: it changes nothing then.
  if (row.state === 'open') return row;

  const fresh = now - row.windowStartedAt >= policy.windowMs;
  const windowCalls = (fresh ? 0 : row.windowCalls) + 1;
  const windowFailures = (fresh ? 0 : row.windowFailures) + (success ? 0 : 1);
  const next: BreakerRow = {
    ...row,
    consecutiveFailures: success ? 0 : row.consecutiveFailures + 1,
    windowCalls,
    windowFailures,
    windowStartedAt: fresh ? now : row.windowStartedAt,
  };
  if (success) return next;
  const tripped =
    next.consecutiveFailures >= policy.failureThreshold ||
    (windowCalls >= policy.minimumCalls && windowFailures / windowCalls >= policy.failureRatio);
  return tripped ? { ...next, state: 'open', openedAt: now, trialStartedAt: null } : next;
}
