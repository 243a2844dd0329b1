import { createHash } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context, type SpanContext, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeExecutionError, type ExecutorContext, type ExecutorRegistry, type NodeExecutor } from '@switchyard/workflow';

/**
 * OpenTelemetry traces of step attempts: one span per executor attempt, child of the run's W3C
 * trace context (runs.traceparent, taken at ingress or from the parent run), with tenant, run, node
 * and attempt attributes. The executor then sees the span's own traceparent in its context, which
 * the HTTP executor sends on, so the target's spans hang under the step that called it.
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then the executors are not wrapped at all, so a
 * worker without an exporter pays nothing. The OTLP exporter reads the standard OTEL_EXPORTER_OTLP_*
 * variables (endpoint, headers, timeout) itself. Tests pass their own span processor.
 */

export interface Tracing {
  /** The executors with every attempt in a span. */
  instrument(executors: ExecutorRegistry): ExecutorRegistry;
  /** Flushes spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export const TRACER_NAME = 'switchyard-worker';

export async function tracingFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | null> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return null;
  // Loaded only when configured: the exporter's module graph stays out of workers that do not trace.
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return createTracing([new BatchSpanProcessor(new OTLPTraceExporter())]);
}

export function createTracing(spanProcessors: SpanProcessor[]): Tracing {
  const provider = new BasicTracerProvider({ spanProcessors });
  const tracer = provider.getTracer(TRACER_NAME);
  return {
    instrument: (executors) => Object.fromEntries(Object.entries(executors).map(([kind, executor]) => [kind, traced(tracer, kind, executor)])),
    shutdown: () => provider.shutdown(),
  };
}

function traced(tracer: Tracer, kind: string, executor: NodeExecutor): NodeExecutor {
  return async (ctx, config, input) => {
    const span = tracer.startSpan(
      `${ctx.phase === 'compensation' ? 'compensate' : 'step'} ${kind}`,
      { kind: SpanKind.INTERNAL, attributes: attributesOf(ctx, kind) },
      parentContext(ctx),
    );
    try {
      const result = await executor({ ...ctx, traceparent: formatTraceparent(span.spanContext()) }, config, input);
      span.setAttribute('switchyard.port', result.port ?? 'out');
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      if (err instanceof NodeExecutionError) {
        span.setAttribute('switchyard.error.code', err.code);
        span.setAttribute('switchyard.error.retryable', err.retryable);
        if (err.status !== undefined) span.setAttribute('http.response.status_code', err.status);
      }
      if (err instanceof Error) span.recordException(err);
      throw err;
    } finally {
      span.end();
    }
  };
}

function attributesOf(ctx: ExecutorContext, kind: string): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    'switchyard.tenant_id': ctx.tenantId,
    'switchyard.run_id': ctx.runId,
    'switchyard.node_id': ctx.nodeId,
    'switchyard.node_kind': kind,
    'switchyard.attempt': ctx.attempt,
    'switchyard.correlation_id': ctx.correlationId,
    'switchyard.idempotency_key': ctx.idempotencyKey,
  };
  if (ctx.phase) attributes['switchyard.phase'] = ctx.phase;
  return attributes;
}

/**
 * The run's trace context; a run started without one (manual, scheduled) gets a trace id and a
 * parent span id derived from its run id, so all its steps still form one trace.
 */
function parentContext(ctx: ExecutorContext): Context {
  const parsed = ctx.traceparent ? parseTraceparent(ctx.traceparent) : undefined;
  if (parsed) return trace.setSpanContext(ROOT_CONTEXT, parsed);
  const digest = createHash('sha256').update(ctx.runId).digest('hex');
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: digest.slice(0, 32), spanId: digest.slice(32, 48), traceFlags: TraceFlags.SAMPLED, isRemote: true });
}

/** Version-00 fields of a traceparent the ingress already validated (resolveTraceparent). */
export function parseTraceparent(value: string): SpanContext | undefined {
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/.exec(value);
  if (!match) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true };
}

export function formatTraceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0')}`;
}
