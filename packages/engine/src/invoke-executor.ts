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
 * Runs one executor attempt under the node timeout. The timer goes through the Clock port (so tests
 * drive it) and the engine stops waiting when it fires, even if the executor ignores its signal: a
 * hung connector must not hold a run forever. Never throws; failures come back classified.
 */
export async function invokeExecutor(params: InvokeParams): Promise<AttemptResult> {
  const { executor, timeoutMs, clock } = params;
  const controller = new AbortController();
  const timerCancel = new AbortController();
  let timedOut = false;
  const stop = () => controller.abort(params.signal?.reason);
  if (params.signal?.aborted) stop();
  else params.signal?.addEventListener('abort', stop, { once: true });

  const timeout = clock.sleep(timeoutMs, timerCancel.signal).then(
    () => {
      // Set before aborting: an executor that rejects synchronously from its abort listener must
      // still be classified as a timeout.
      timedOut = true;
      controller.abort(new DOMException(`node timed out after ${timeoutMs} ms`, 'TimeoutError'));
      return TIMED_OUT;
    },
    // Cancelled because the executor settled first (or the clock failed): this side never wins then.
    () => new Promise<never>(() => undefined),
  );

  let work: Promise<ExecutorResult>;
  try {
    work = Promise.resolve(executor({ ...params.ctx, signal: controller.signal }, params.config, params.input));
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
    timerCancel.abort();
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
