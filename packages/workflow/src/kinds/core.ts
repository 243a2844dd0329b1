import { z } from 'zod';
import { defineNodeKind, type NodeKindDefinition } from './contract';

const headerName = z.string().min(1).max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');

export const ManualTriggerConfigSchema = z.object({
  /** Example payload shown in the designer and used for test runs. */
  samplePayload: z.unknown().optional(),
});

export const WebhookTriggerConfigSchema = z.object({
  /** Path segment after /api/hooks/{tenantSlug}/. */
  path: z
    .string()
    .min(1, 'must not be empty')
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-_/]*$/, 'may contain only lower-case letters, digits, "-", "_" and "/"'),
  /** When true the webhook answers with the respond node's output instead of 202. */
  synchronous: z.boolean().default(false),
  /** JSONata/JSON path into the body used as the run's idempotency key (e.g. `invoice.number`). */
  idempotencyKeyPath: z.string().max(200).optional(),
  /** How long a synchronous caller waits for the respond node before getting 202. */
  responseTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

export const HttpRequestConfigSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  url: z.string().min(1, 'must not be empty').max(2000),
  headers: z.record(headerName, z.string().max(4000)).default({}),
  /** JSONata expression over the node input; omitted = send the input as JSON. */
  body: z.string().max(20_000).optional(),
  /** HTTP statuses treated as success; others are errors (5xx/408/429 retryable, other 4xx permanent). */
  successStatuses: z.array(z.number().int().min(100).max(599)).optional(),
});

export const TransformConfigSchema = z.object({
  /** JSONata expression; `$` is the node input and `$trigger` the run's trigger payload. */
  expression: z.string().min(1, 'must not be empty').max(50_000),
});

export const ConditionConfigSchema = z.object({
  /** JSONata expression; truthy result leaves by `true`, otherwise by `false`. */
  expression: z.string().min(1, 'must not be empty').max(10_000),
});

export const RespondConfigSchema = z.object({
  status: z.number().int().min(100).max(599).default(200),
  /** JSONata expression for the response body; omitted = the node input. */
  body: z.string().max(20_000).optional(),
  headers: z.record(headerName, z.string().max(4000)).default({}),
});

export const DelayConfigSchema = z.object({
  durationMs: z.number().int().min(0).max(30 * 86_400_000),
});

export type ManualTriggerConfig = z.infer<typeof ManualTriggerConfigSchema>;
export type WebhookTriggerConfig = z.infer<typeof WebhookTriggerConfigSchema>;
export type HttpRequestConfig = z.infer<typeof HttpRequestConfigSchema>;
export type TransformConfig = z.infer<typeof TransformConfigSchema>;
export type ConditionConfig = z.infer<typeof ConditionConfigSchema>;
export type RespondConfig = z.infer<typeof RespondConfigSchema>;
export type DelayConfig = z.infer<typeof DelayConfigSchema>;

export const manualTrigger = defineNodeKind<ManualTriggerConfig>({
  kind: 'trigger.manual',
  version: 1,
  category: 'trigger',
  displayName: 'Manual trigger',
  description: 'Starts a run from the API or the designer with a given payload.',
  icon: 'play',
  configSchema: ManualTriggerConfigSchema,
  defaultConfig: {},
  isTrigger: true,
  outputs: ['out'],
});

export const webhookTrigger = defineNodeKind<WebhookTriggerConfig>({
  kind: 'trigger.webhook',
  version: 1,
  category: 'trigger',
  displayName: 'Webhook trigger',
  description: 'Starts a run when a JSON body is POSTed to /api/hooks/{tenant}/{path}.',
  icon: 'webhook',
  configSchema: WebhookTriggerConfigSchema,
  defaultConfig: { path: 'incoming', synchronous: false, responseTimeoutMs: 10_000 },
  isTrigger: true,
  outputs: ['out'],
});

export const httpRequest = defineNodeKind<HttpRequestConfig>({
  kind: 'http.request',
  version: 1,
  category: 'action',
  displayName: 'HTTP request',
  description: 'Calls an HTTP endpoint; sends the correlation id and the step idempotency key.',
  icon: 'globe',
  configSchema: HttpRequestConfigSchema,
  defaultConfig: { method: 'POST', url: 'http://127.0.0.1:3000/api/health', headers: {} },
  isTrigger: false,
  outputs: ['out', 'error'],
});

export const transform = defineNodeKind<TransformConfig>({
  kind: 'transform',
  version: 1,
  category: 'data',
  displayName: 'Transform',
  description: 'Maps the input to a new shape with a JSONata expression.',
  icon: 'shuffle',
  configSchema: TransformConfigSchema,
  defaultConfig: { expression: '$' },
  isTrigger: false,
  outputs: ['out', 'error'],
});

export const condition = defineNodeKind<ConditionConfig>({
  kind: 'condition',
  version: 1,
  category: 'logic',
  displayName: 'Condition',
  description: 'Routes the input to `true` or `false` by a JSONata expression.',
  icon: 'split',
  configSchema: ConditionConfigSchema,
  defaultConfig: { expression: 'true' },
  isTrigger: false,
  outputs: ['true', 'false', 'error'],
});

export const respond = defineNodeKind<RespondConfig>({
  kind: 'respond',
  version: 1,
  category: 'logic',
  displayName: 'Respond',
  description: "Sets the webhook's HTTP response when the trigger is synchronous.",
  icon: 'reply',
  configSchema: RespondConfigSchema,
  defaultConfig: { status: 200, headers: {} },
  isTrigger: false,
  outputs: ['out', 'error'],
});

export const delay = defineNodeKind<DelayConfig>({
  kind: 'delay',
  version: 1,
  category: 'logic',
  displayName: 'Delay',
  description: 'Waits durably (a timer in the database, not a sleep) before continuing.',
  icon: 'clock',
  configSchema: DelayConfigSchema,
  defaultConfig: { durationMs: 1000 },
  isTrigger: false,
  outputs: ['out'],
});

export const coreNodeKinds = [manualTrigger, webhookTrigger, httpRequest, transform, condition, respond, delay] as const;
export type CoreNodeKind = (typeof coreNodeKinds)[number]['kind'];

export const coreRegistry: ReadonlyMap<string, NodeKindDefinition<unknown>> = new Map(
  coreNodeKinds.map((k) => [k.kind, k as unknown as NodeKindDefinition<unknown>]),
);
