import { NodeExecutionError, type ExecutorContext, type ExecutorResult, type NodeExecutor } from '@switchyard/workflow';
import type { Clock } from './ports';
import { classifyError, type ClassifiedError } from './step-error';

export type AttemptResult = { ok: true; result: ExecutorResult } | { ok: false; error: ClassifiedError };

export interface InvokeParams {
  executor: NodeExecutor;
  ctx: Omit<ExecutorContext, 'signal'>;
  config: unknown;
  input: unknown;
  timeoutMs: number;
  clock: Clock;
  /** Aborts the attempt from outside (the run slice stopped: lease lost or worker gone). */
  signal?: AbortSignal;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Starts the node's timeout timer; returns its cancel function. Uses the clock's cheap timer when it
 * has one, else `sleep` with an AbortController (the cancel then aborts with a plain reason, not a
 * DOMException). A clock that fails never fires the timeout.
 */
function startTimeout(clock: Clock, ms: number, onFire: () => void): () => void {
  if (clock.startTimer) return clock.startTimer(ms, onFire);
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(onFire, () => undefined);
  return () => cancel.abort(TIMED_OUT);
}

/**
 * Runs one executor attempt under the node timeout. The timer goes through the Clock port (so tests
 * drive it) and the engine stops waiting when it fires, even if the executor ignores its signal: a
 * hung connector must not hold a run forever. Never throws; failures come back classified.
 *
 * The executor's AbortSignal is made only when the executor reads `ctx.signal`: most steps (pure
 * transforms, fast calls) never look at it, and an AbortController per step costs more than a no-op
 * step. A timeout or an outside stop is still delivered to any executor that did read it.
 */
export async function invokeExecutor(params: InvokeParams): Promise<AttemptResult> {
  const { executor, timeoutMs, clock } = params;
  let controller: AbortController | null = null;
  /** Why the attempt was stopped before the executor asked for its signal (so a late reader sees it aborted). */
  let stopReason: { reason: unknown } | null = null;
  const signalOf = (): AbortSignal => {
    if (!controller) {
      controller = new AbortController();
      if (stopReason) controller.abort(stopReason.reason);
    }
    return controller.signal;
  };
  const abortWith = (reason: unknown) => {
    if (controller) controller.abort(reason);
    else stopReason ??= { reason };
  };
  let timedOut = false;
  const stop = () => abortWith(params.signal?.reason);
  if (params.signal?.aborted) stop();
  else params.signal?.addEventListener('abort', stop, { once: true });

  let fireTimeout: (value: typeof TIMED_OUT) => void = () => undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    fireTimeout = resolve;
  });
  const cancelTimer = startTimeout(clock, timeoutMs, () => {
    // Set before aborting: an executor that rejects synchronously from its abort listener must
    // still be classified as a timeout.
    timedOut = true;
    abortWith(new DOMException(`node timed out after ${timeoutMs} ms`, 'TimeoutError'));
    fireTimeout(TIMED_OUT);
  });

  const ctx = Object.defineProperty({ ...params.ctx }, 'signal', { get: signalOf, enumerable: true }) as ExecutorContext;
  let work: Promise<ExecutorResult>;
  try {
    work = Promise.resolve(executor(ctx, params.config, params.input));
  } catch (err) {
    work = Promise.reject(err);
  }
  // If the timeout wins, the executor's late rejection must not surface as an unhandled rejection.
  work.catch(() => undefined);

  try {
    const winner = await Promise.race([work, timeout]);
    if (timedOut || winner === TIMED_OUT) return { ok: false, error: classifyError(null, { timeoutMs }) };
    return { ok: true, result: checkResult(winner) };
  } catch (err) {
    return { ok: false, error: classifyError(err, timedOut ? { timeoutMs } : null) };
  } finally {
    cancelTimer();
    params.signal?.removeEventListener('abort', stop);
  }
}

function checkResult(value: unknown): ExecutorResult {
  if (typeof value !== 'object' || value === null) {
    throw new NodeExecutionError(`executor returned ${value === null ? 'null' : typeof value} instead of { output, port? }`, {
      code: 'invalid_result',
      retryable: false,
    });
  }
  const result = value as ExecutorResult;
  if (result.port !== undefined && (typeof result.port !== 'string' || result.port.length === 0)) {
    throw new NodeExecutionError('executor result port must be a non-empty string', { code: 'invalid_result', retryable: false });
  }
  return result;
}
