/**
 * Server-side entry: executors for the node kinds. The browser imports `./metadata` instead.
 */
import type { CoreNodeKind, NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from './define-executor';
import { createHttpRequestExecutor } from './http/http-request';
import { allowlistFromEnv, type OutboundAllowlist } from './http/outbound/address-policy';
import { createOutboundFetch } from './http/outbound/outbound-fetch';
import { DEFAULT_MAX_RESPONSE_BYTES } from './http/response-body';
import { DEFAULT_EXPRESSION_MAX_DEPTH, DEFAULT_EXPRESSION_TIMEOUT_MS } from './jsonata/evaluate';
import { createConditionExecutor } from './kinds/condition';
import { delayExecutor, manualTriggerExecutor, webhookTriggerExecutor } from './kinds/passthrough';
import { createRespondExecutor } from './kinds/respond';
import { createTransformExecutor } from './kinds/transform';
import { createErpExecutors, type ConnectorKindName } from './erp/executors';
import type { EventBrokers } from './events/broker';
import { eventTrigger } from './events/kinds';
import { createEventPublishExecutor } from './events/publish-executor';
import { fileTrigger } from './files/kinds';
import { createSqlExecutors } from './database/executors';
import { createSqlPools, type SqlPools } from './database/sql-client';
import { createFileParseExecutor } from './files/parse-executor';
import { createFileWriteExecutor } from './files/write-executor';

/** The event-bus kinds; the trigger only records the message body, the consumer did the accepting. */
export type EventKindName = 'trigger.event' | 'event.publish';
export type FileKindName = 'trigger.file' | 'file.parse' | 'file.write';
export type SqlKindName = 'sql.query' | 'sql.upsert' | 'trigger.sql-poll';

export interface CoreExecutorOptions {
  /**
   * HTTP client for `http.request`; defaults to the outbound client, which refuses internal
   * addresses (SSRF) unless they are on the allowlist. Injecting one bypasses that check.
   */
  fetch?: typeof fetch;
  /**
   * Platform allowlist for internal destinations (`host:port`, IP or CIDR entries, or the raw
   * comma-separated text); defaults to SWITCHYARD_OUTBOUND_ALLOWLIST, empty when unset.
   */
  outboundAllowlist?: OutboundAllowlist | string | readonly string[];
  /** Wall-clock budget of one JSONata evaluation. */
  jsonataTimeoutMs?: number;
  /** Evaluation-depth budget of one JSONata evaluation (stops runaway recursion). */
  jsonataMaxDepth?: number;
  /** Response bodies larger than this are cut, with a marker; default 1 MiB. */
  maxResponseBytes?: number;
  /** The platform's event brokers for `event.publish`; a kind whose broker is missing fails retryably. */
  eventBrokers?: EventBrokers;
  /** Root folder of the file adapters (per tenant: `<root>/<tenantId>/outbound`); `file.write` fails without it. */
  fileRoot?: string;
  /** Database pools for `sql.*`; by default one set per executor registry, checked against the outbound allowlist. */
  sqlPools?: SqlPools;
}

/**
 * Literal names of the core kinds. Workflow's `CoreNodeKind` is `string` today, because
 * `defineNodeKind` does not keep the literal `kind`; with a plain `string` key the registry below
 * would not be checked for completeness, so the union is spelt out here. The check underneath
 * switches on by itself once `CoreNodeKind` becomes a literal union and then fails on any drift.
 */
export type CoreKindName = 'trigger.manual' | 'trigger.webhook' | 'http.request' | 'transform' | 'condition' | 'respond' | 'delay';
type SameUnion<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const coreKindNamesMatchWorkflow: string extends CoreNodeKind ? true : SameUnion<CoreNodeKind, CoreKindName> = true;
void coreKindNamesMatchWorkflow;

/**
 * Kinds whose executors are deterministic and touch nothing outside the run (JSONata over the
 * step's input, schema validation): the worker lets the engine group-commit their successful steps
 * (ExecuteRunParams.pureKinds). A kind belongs here only if running it twice is unobservable.
 */
export const PURE_NODE_KINDS: ReadonlySet<string> = new Set(['transform', 'condition', 'canonical.validate']);

/** One executor per core kind; the `Record` makes a missing or extra kind a compile error. */
export function createCoreExecutors(options: CoreExecutorOptions = {}): Record<CoreKindName, NodeExecutor> {
  const budget = {
    timeoutMs: positiveInt(options.jsonataTimeoutMs, DEFAULT_EXPRESSION_TIMEOUT_MS, 'jsonataTimeoutMs'),
    maxDepth: positiveInt(options.jsonataMaxDepth, DEFAULT_EXPRESSION_MAX_DEPTH, 'jsonataMaxDepth'),
  };
  const fetchImpl: typeof fetch = options.fetch ?? createOutboundFetch({ allowlist: options.outboundAllowlist });
  return {
    'trigger.manual': manualTriggerExecutor,
    'trigger.webhook': webhookTriggerExecutor,
    'http.request': createHttpRequestExecutor({
      fetch: fetchImpl,
      budget,
      maxResponseBytes: positiveInt(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes'),
      now: Date.now,
    }),
    transform: createTransformExecutor(budget),
    condition: createConditionExecutor(budget),
    respond: createRespondExecutor(budget),
    delay: delayExecutor,
  };
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

export {
  evaluateExpression,
  compileExpression,
  clearExpressionCache,
  DEFAULT_EXPRESSION_TIMEOUT_MS,
  DEFAULT_EXPRESSION_MAX_DEPTH,
  type EvaluateOptions,
} from './jsonata/evaluate';
export { jsonataBoolean } from './kinds/condition';
export { parseRetryAfter, MAX_RETRY_AFTER_MS } from './http/retry-after';
export type { HttpRequestOutput } from './http/http-request';
export { DEFAULT_MAX_RESPONSE_BYTES } from './http/response-body';
export {
  AllowlistError,
  allowlistFromEnv,
  blockedReason,
  parseOutboundAllowlist,
  type OutboundAllowlist,
} from './http/outbound/address-policy';
export { OutboundBlockedError, chooseAddress, type HostLookup, type ResolvedAddress } from './http/outbound/guarded-agent';
export { createOutboundFetch, MAX_REDIRECTS, RedirectError, type OutboundFetch, type OutboundFetchOptions } from './http/outbound/outbound-fetch';
export { signStandardWebhook, standardWebhookHeaders } from './http/standard-webhooks';
export { connectorNodeKinds, connectorKindRegistry, type ConnectorNodeKind } from './metadata';
export * from './metadata';
export { createErpExecutors, withConnections, type ConnectorKindName, type ErpExecutorOptions } from './erp/executors';
export { loadReferenceData, type ReferenceData, type ReferenceDataResult, type ReferenceItem } from './erp/reference-data';
export { testConnection, type ConnectionTestInput, type ConnectionTestOptions, type ConnectionTestOutcome, type ConnectionTestResult } from './erp/test-connection';
export { TokenCache } from './erp/common/token-cache';
export { tbaAuthorization, type TbaCredentials } from './erp/netsuite/oauth1';

/**
 * Every executor this package has: the core kinds plus the ERP, REST and canonical kinds, sharing
 * one outbound HTTP client (and so one allowlist and one connection pool). The worker wraps the
 * result with `withConnections` so the ERP kinds can reach the tenant's connections.
 */
export function createConnectorExecutors(options: CoreExecutorOptions = {}): Record<CoreKindName | ConnectorKindName | EventKindName | FileKindName | SqlKindName, NodeExecutor> {
  const fetchImpl: typeof fetch = options.fetch ?? createOutboundFetch({ allowlist: options.outboundAllowlist });
  const budget = {
    timeoutMs: positiveInt(options.jsonataTimeoutMs, DEFAULT_EXPRESSION_TIMEOUT_MS, 'jsonataTimeoutMs'),
    maxDepth: positiveInt(options.jsonataMaxDepth, DEFAULT_EXPRESSION_MAX_DEPTH, 'jsonataMaxDepth'),
  };
  return {
    ...createCoreExecutors({ ...options, fetch: fetchImpl }),
    ...createErpExecutors({ fetch: fetchImpl, budget }),
    'trigger.event': defineExecutor(eventTrigger, (_ctx, _config, input) => Promise.resolve({ output: input })),
    'event.publish': createEventPublishExecutor(options.eventBrokers ?? {}, budget),
    'trigger.file': defineExecutor(fileTrigger, (_ctx, _config, input) => Promise.resolve({ output: input })),
    'file.parse': createFileParseExecutor(budget),
    'file.write': createFileWriteExecutor(budget, options.fileRoot ? { root: options.fileRoot } : undefined),
    ...createSqlExecutors(options.sqlPools ?? createSqlPools({ allowlist: options.outboundAllowlist ?? allowlistFromEnv() }), budget),
  };
}
export * from './templates/index';
export {
  tenantSubject,
  deadLetterSubject,
  consumerName,
  DEAD_LETTER_CAUSE_HEADER,
  ORIGINAL_MESSAGE_ID_HEADER,
  type EventBroker,
  type EventBrokers,
  type EventDelivery,
  type EventSubscription,
  type IncomingEvent,
  type PublishResult,
  type SubscribeOptions,
} from './events/broker';
export { NatsEventBroker, type NatsBrokerOptions } from './events/nats-broker';
export { AmqpEventBroker, type AmqpBrokerOptions } from './events/amqp-broker';
export { createEventPublishExecutor } from './events/publish-executor';
export { CORRELATION_HEADER } from './events/headers';
export { renderFile } from './files/write-executor';
export { readCsv, readFixedWidth, type FileLine } from './files/read-lines';
export { createSqlPools, sqlError, type SqlPools, type SqlResult } from './database/sql-client';
export { buildUpsert, createSqlExecutors, sqlConnection } from './database/executors';
