import { z } from 'zod';
import { defineNodeKind, type NodeKindDefinition } from './contract';

const headerName = z.string().min(1).max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');

/** Dotted paths into the trigger payload whose values become the run's searchable business keys. */
const businessKeyPaths = z
  .array(z.string().trim().min(1, 'must not be empty').max(200))
  .max(10, 'at most 10 paths')
  .optional()
  .meta({
    title: 'Business key paths',
    description: 'Paths into the payload (e.g. invoice.number) whose values make the run findable by that key in run history.',
  });

export const ManualTriggerConfigSchema = z.object({
  samplePayload: z
    .unknown()
    .optional()
    .meta({ title: 'Sample payload', description: 'Example payload shown in the designer and used for test runs.' }),
  businessKeyPaths,
});

/** A calendar day, `YYYY-MM-DD` (UTC). */
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

/**
 * The canonical schema a webhook accepts (contracts at the edge): payloads are validated before a run
 * exists. A sender names the version it sends in the `Schema-Version` header (default: `version`);
 * a deprecated version is accepted, migrated to `version`, and answered with `Warning` and `Sunset`
 * headers until its sunset day (00:00 UTC), and refused from then on.
 */
export const WebhookContractSchema = z
  .object({
    object: z.string().trim().min(1, 'must not be empty').max(60).meta({ title: 'Canonical object', description: 'e.g. invoice, salesOrder, payment.' }),
    version: z.number().int().min(1, 'must be 1 or more').meta({ title: 'Version', description: 'The canonical version the workflow is written against.' }),
    deprecated: z
      .array(
        z.object({
          version: z.number().int().min(1, 'must be 1 or more'),
          sunset: isoDay.meta({ title: 'Sunset', description: 'First day (UTC) on which this version is refused.' }),
        }),
      )
      .max(10, 'at most 10 deprecated versions')
      .default([])
      .meta({ title: 'Deprecated versions', description: 'Older versions still accepted (and migrated) until their sunset day.' }),
  })
  .meta({ title: 'Contract', description: 'Validate payloads against a canonical schema before a run starts.' });
export type WebhookContract = z.infer<typeof WebhookContractSchema>;

export const WebhookTriggerConfigSchema = z.object({
  path: z
    .string()
    .min(1, 'must not be empty')
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-_/]*$/, 'may contain only lower-case letters, digits, "-", "_" and "/"')
    .meta({ title: 'Path', description: 'Path segment after /api/hooks/{tenant}/.' }),
  synchronous: z
    .boolean()
    .default(false)
    .meta({ title: 'Synchronous', description: "Answer with the respond node's output instead of 202." }),
  idempotencyKeyPath: z
    .string()
    .max(200)
    .optional()
    .meta({ title: 'Idempotency key path', description: "Path into the body used as the run's idempotency key, e.g. invoice.number." }),
  businessKeyPaths,
  responseTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(10_000)
    .meta({ title: 'Response timeout (ms)', description: 'How long a synchronous caller waits for the respond node before getting 202.' }),
  contract: WebhookContractSchema.optional(),
});

export const HttpRequestConfigSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').meta({ title: 'Method' }),
  url: z.string().min(1, 'must not be empty').max(2000).meta({ title: 'URL' }),
  headers: z.record(headerName, z.string().max(4000)).default({}).meta({ title: 'Headers' }),
  body: z
    .string()
    .max(20_000)
    .optional()
    .meta({ title: 'Body', description: 'JSONata expression over the node input; empty sends the input as JSON.' }),
  successStatuses: z
    .array(z.number().int().min(100).max(599))
    .optional()
    .meta({
      title: 'Success statuses',
      description: 'HTTP statuses treated as success; others are errors (5xx, 408 and 429 are retried).',
    }),
});

export const TransformConfigSchema = z.object({
  expression: z
    .string()
    .min(1, 'must not be empty')
    .max(50_000)
    .meta({ title: 'Expression', description: "JSONata; `$` is the node input and `$trigger` the run's trigger payload." }),
});

export const ConditionConfigSchema = z.object({
  expression: z
    .string()
    .min(1, 'must not be empty')
    .max(10_000)
    .meta({ title: 'Expression', description: 'JSONata; a truthy result leaves by `true`, otherwise by `false`.' }),
});

export const RespondConfigSchema = z.object({
  status: z.number().int().min(100).max(599).default(200).meta({ title: 'Status' }),
  body: z
    .string()
    .max(20_000)
    .optional()
    .meta({ title: 'Body', description: 'JSONata expression for the response body; empty responds with the node input.' }),
  headers: z.record(headerName, z.string().max(4000)).default({}).meta({ title: 'Headers' }),
});

export const DelayConfigSchema = z.object({
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400_000)
    .meta({ title: 'Duration (ms)', description: 'How long to wait; at most 30 days.' }),
});

export type ManualTriggerConfig = z.infer<typeof ManualTriggerConfigSchema>;
export type WebhookTriggerConfig = z.infer<typeof WebhookTriggerConfigSchema>;
export type HttpRequestConfig = z.infer<typeof HttpRequestConfigSchema>;
export type TransformConfig = z.infer<typeof TransformConfigSchema>;
export type ConditionConfig = z.infer<typeof ConditionConfigSchema>;
export type RespondConfig = z.infer<typeof RespondConfigSchema>;
export type DelayConfig = z.infer<typeof DelayConfigSchema>;

export const manualTrigger = defineNodeKind<ManualTriggerConfig>()({
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

export const webhookTrigger = defineNodeKind<WebhookTriggerConfig>()({
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

export const httpRequest = defineNodeKind<HttpRequestConfig>()({
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

export const transform = defineNodeKind<TransformConfig>()({
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

export const condition = defineNodeKind<ConditionConfig>()({
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

export const respond = defineNodeKind<RespondConfig>()({
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

export const delay = defineNodeKind<DelayConfig>()({
  kind: 'delay',
  version: 1,
  category: 'logic',
  displayName: 'Delay',
  description: 'Waits durably (a timer in the database, not a sleep) before continuing.',
  icon: 'clock',
  configSchema: DelayConfigSchema,
  defaultConfig: { durationMs: 1000 },
  isTrigger: false,
  runsInEngine: true,
  outputs: ['out'],
});

export const coreNodeKinds = [manualTrigger, webhookTrigger, httpRequest, transform, condition, respond, delay] as const;
export type CoreNodeKind = (typeof coreNodeKinds)[number]['kind'];

export const coreRegistry: ReadonlyMap<string, NodeKindDefinition<unknown>> = new Map(
  coreNodeKinds.map((k) => [k.kind, k as unknown as NodeKindDefinition<unknown>]),
);
