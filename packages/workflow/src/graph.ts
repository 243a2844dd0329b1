import { z } from 'zod';

/**
 * The graph JSON of a workflow version. Node ids are stable identifiers chosen when a node is
 * created; labels are display text only and never used for identity (see docs/architecture.md).
 */
export const CURRENT_SCHEMA_VERSION = 1 as const;

/** Size limits of one graph; checked before anything else so that hostile input stays cheap to reject. */
export const MAX_NODES = 5000;
export const MAX_EDGES = 10_000;

export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, "_" and "-"');

export const RetryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1).max(100),
  initialDelayMs: z.number().int().min(0).max(86_400_000),
  backoffFactor: z.number().min(1).max(10),
  maxDelayMs: z.number().int().min(0).max(86_400_000),
  /** Fraction of the delay randomised (0 = none, 1 = "full jitter"). */
  jitter: z.number().min(0).max(1),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const NodePolicySchema = z.object({
  retry: RetryPolicySchema.partial().optional(),
  timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
});
export type NodePolicy = z.infer<typeof NodePolicySchema>;

export const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });
export type Position = z.infer<typeof PositionSchema>;

/**
 * A compensating action (saga): another node kind with its own config, run when the run fails after
 * this node completed, e.g. "cancel the sales order" for "create the sales order". Its retries and
 * timeout come from `policy`, else from the node's own policy.
 */
export const CompensationSchema = z.object({
  kind: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  policy: NodePolicySchema.optional(),
});
export type Compensation = z.infer<typeof CompensationSchema>;

export const GraphNodeSchema = z.object({
  id: IdSchema,
  kind: z.string().min(1),
  label: z.string().max(200).optional(),
  position: PositionSchema.default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}),
  policy: NodePolicySchema.optional(),
  compensation: CompensationSchema.optional(),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const GraphEdgeSchema = z.object({
  id: IdSchema,
  source: IdSchema,
  /** Output port of the source node: `out`, `error`, `true`, `false`, … */
  sourcePort: z.string().min(1).default('out'),
  target: IdSchema,
});
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/** At most this many pinned outputs per graph, each at most MAX_PIN_BYTES of JSON. */
export const MAX_PINS = 200;
// Test runs stand a pinned node in as a transform returning the output as a literal, whose expression
// is limited to 50,000 characters: a pin must fit in one.
export const MAX_PIN_BYTES = 48 * 1024;

/**
 * A node output pinned in the designer: test runs of the draft use it instead of running the node
 * (so downstream nodes can be iterated on without calling the ERP again). Published runs ignore pins;
 * publishing strips them.
 */
export const PinnedOutputSchema = z.object({
  output: z.unknown().refine((v) => (JSON.stringify(v) ?? '').length <= MAX_PIN_BYTES, `must be at most ${MAX_PIN_BYTES} bytes of JSON`),
  /** The output port the pinned result leaves by (`out`, `true`, a case name, …). */
  port: z.string().min(1).max(100).default('out'),
});
export type PinnedOutput = z.infer<typeof PinnedOutputSchema>;

export const GraphSettingsSchema = z
  .object({
    description: z.string().max(2000).optional(),
    pins: z
      .record(IdSchema, PinnedOutputSchema)
      .refine((pins) => Object.keys(pins).length <= MAX_PINS, `may pin at most ${MAX_PINS} nodes`)
      .optional(),
  })
  .default({});
export type GraphSettings = z.infer<typeof GraphSettingsSchema>;

export const GraphSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  nodes: z.array(GraphNodeSchema).max(MAX_NODES),
  edges: z.array(GraphEdgeSchema).max(MAX_EDGES),
  settings: GraphSettingsSchema,
});
export type Graph = z.infer<typeof GraphSchema>;

/** Ports every node has besides its kind's own outputs: failures can be routed instead of failing the run. */
export const ERROR_PORT = 'error';
export const DEFAULT_OUTPUT_PORT = 'out';
/** A map node's port to its body: the one node run once per item. */
export const MAP_ITEM_PORT = 'item';
/** Wait and approval nodes leave by this port when nobody answered in time. */
export const TIMEOUT_PORT = 'timeout';
export const APPROVED_PORT = 'approved';
export const REJECTED_PORT = 'rejected';
