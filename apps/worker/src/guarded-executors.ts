import type { ExecutorRegistry, NodeExecutor } from '@switchyard/workflow';
import { outcomeOf, type CallTarget, type ResilienceGuard } from './resilience-guard';

/**
 * Wraps the executors of outbound kinds so every call passes the tenant's breaker and rate limit
 * first and reports its outcome to the breaker afterwards. Other kinds are passed through unchanged.
 */

/** Kinds that call an endpoint, and how to find it in their config. */
export type TargetOf = (config: unknown) => CallTarget | null;

export const httpTarget: TargetOf = (config) => {
  const c = config as { url?: unknown; connection?: unknown } | null;
  if (typeof c?.url !== 'string') return null;
  let host: string;
  try {
    host = new URL(c.url).host;
  } catch {
    // The executor reports the invalid URL as a config error; there is no endpoint to protect.
    return null;
  }
  if (!host) return null;
  const connection = typeof c.connection === 'string' && c.connection.length > 0 ? c.connection : host;
  return { connectionKey: connection, host };
};

export const DEFAULT_GUARDED_KINDS: Readonly<Record<string, TargetOf>> = { 'http.request': httpTarget };

export function guardedExecutors(
  executors: ExecutorRegistry,
  guard: ResilienceGuard,
  kinds: Readonly<Record<string, TargetOf>> = DEFAULT_GUARDED_KINDS,
): ExecutorRegistry {
  const wrapped: Record<string, NodeExecutor> = { ...executors };
  for (const [kind, targetOf] of Object.entries(kinds)) {
    const inner = executors[kind];
    if (inner) wrapped[kind] = guard1(inner, guard, targetOf);
  }
  return wrapped;
}

function guard1(inner: NodeExecutor, guard: ResilienceGuard, targetOf: TargetOf): NodeExecutor {
  return async (ctx, config, input) => {
    const target = targetOf(config);
    if (!target) return inner(ctx, config, input);
    await guard.admit(ctx.tenantId, target, ctx.signal);
    let failure: unknown;
    try {
      return await inner(ctx, config, input);
    } catch (err) {
      failure = err ?? new Error('executor threw nothing');
      throw err;
    } finally {
      // The step's own result matters more than the breaker's bookkeeping: never fail it for that.
      await guard.record(ctx.tenantId, target, outcomeOf(failure)).catch((err: unknown) => {
        ctx.logger.warn({ err: err instanceof Error ? err.message : String(err), host: target.host }, 'could not record the call outcome for the circuit breaker');
      });
    }
  };
}
