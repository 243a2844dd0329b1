import { NodeExecutionError } from '@switchyard/workflow';
import type { StepError } from './ports';

export interface ClassifiedError extends StepError {
  retryAfterMs?: number;
  /** The call was refused before it went out (see NodeExecutionError.countsAsAttempt). */
  countsAsAttempt?: false;
}

/**
 * Turns whatever an executor threw into the recorded error. `timedOut` is decided by the engine (it
 * owns the timer), so an executor that rethrows its signal's abort reason still counts as a timeout.
 */
export function classifyError(err: unknown, timedOut: { timeoutMs: number } | null): ClassifiedError {
  if (timedOut) {
    return { code: 'timeout', message: `node timed out after ${timedOut.timeoutMs} ms`, retryable: true };
  }
  if (err instanceof NodeExecutionError) {
    const classified: ClassifiedError = { code: err.code, message: err.message, retryable: err.retryable };
    if (err.status !== undefined) classified.status = err.status;
    if (err.retryAfterMs !== undefined && Number.isFinite(err.retryAfterMs) && err.retryAfterMs >= 0) {
      classified.retryAfterMs = err.retryAfterMs;
    }
    if (!err.countsAsAttempt) classified.countsAsAttempt = false;
    return classified;
  }
  // Unknown failures are assumed transient: a bug surfaces after maxAttempts, a blip heals itself.
  return { code: 'internal', message: describe(err), retryable: true };
}

export function toStepError(classified: ClassifiedError): StepError {
  const { retryAfterMs: _omit, countsAsAttempt: _omitToo, ...stepError } = classified;
  return stepError;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return `non-Error thrown: ${JSON.stringify(err)}`;
  } catch {
    return 'non-Error thrown';
  }
}
