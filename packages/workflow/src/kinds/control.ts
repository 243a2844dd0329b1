import { z } from 'zod';
import { defineNodeKind, type NodeKindDefinition } from './contract';
import { coreNodeKinds } from './core';
import { workflowCall } from './workflow-call';

/**
 * Control-flow kinds the engine interprets itself: no executor runs them, so packages/connectors
 * needs nothing for them. They are kept apart from the core kinds because every core kind has an
 * executor (connectors checks that its registry covers exactly `coreNodeKinds`).
 */

const expression = (title: string, description: string, max = 10_000) =>
  z.string().trim().min(1, 'must not be empty').max(max).meta({ title, description });

const timeoutMs = z
  .number()
  .int()
  .min(1)
  .max(365 * 86_400_000)
  .optional()
  .meta({ title: 'Timeout (ms)', description: 'Leave by the `timeout` port when nothing arrived in time; empty waits without limit.' });

export const MapConfigSchema = z.object({
  items: expression('Items', 'JSONata over the node input yielding the array to iterate, e.g. `order.lines` or `[order.lines]`.'),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(5)
    .meta({ title: 'Concurrency', description: 'Items in progress at once; the others wait their turn.' }),
  onItemError: z.enum(['fail', 'continue']).default('fail').meta({
    title: 'When an item fails',
    description: '`fail`: stop and fail the map (its error port, else the run); `continue`: put { error, input } in that slot.',
  }),
});

export const JoinConfigSchema = z.object({});

export const WaitForEventConfigSchema = z.object({
  key: expression('Key', 'JSONata over the node input giving the correlation or business key the event must carry, e.g. `order.number`.'),
  timeoutMs,
});

export const ApprovalConfigSchema = z.object({
  key: expression('Key', 'JSONata over the node input giving the key the decision is delivered with, e.g. `invoice.number`.'),
  instructions: z.string().max(2000).optional().meta({ title: 'Instructions', description: 'Shown to the approver.' }),
  timeoutMs,
});

export type MapConfig = z.infer<typeof MapConfigSchema>;
export type JoinConfig = z.infer<typeof JoinConfigSchema>;
export type WaitForEventConfig = z.infer<typeof WaitForEventConfigSchema>;
export type ApprovalConfig = z.infer<typeof ApprovalConfigSchema>;

export const mapKind = defineNodeKind<MapConfig>()({
  kind: 'map',
  version: 1,
  category: 'logic',
  displayName: 'Map (for each)',
  description: 'Runs the node on its `item` port once per array element, a few at a time, and outputs the results in item order.',
  icon: 'repeat',
  configSchema: MapConfigSchema,
  defaultConfig: { items: '$', concurrency: 5, onItemError: 'fail' },
  isTrigger: false,
  runsInEngine: true,
  outputs: ['out', 'item', 'error'],
});

export const joinKind = defineNodeKind<JoinConfig>()({
  kind: 'join',
  version: 1,
  category: 'logic',
  displayName: 'Join',
  description: 'Waits for every incoming branch, then outputs { [sourceNodeId]: output }.',
  icon: 'merge',
  configSchema: JoinConfigSchema,
  defaultConfig: {},
  isTrigger: false,
  runsInEngine: true,
  outputs: ['out', 'error'],
});

export const waitForEvent = defineNodeKind<WaitForEventConfig>()({
  kind: 'wait.event',
  version: 1,
  category: 'logic',
  displayName: 'Wait for event',
  description: 'Parks the run until an event with the matching key arrives (API or webhook); outputs the event payload.',
  icon: 'hourglass',
  configSchema: WaitForEventConfigSchema,
  defaultConfig: { key: 'id' },
  isTrigger: false,
  runsInEngine: true,
  outputs: ['out', 'timeout', 'error'],
});

export const approval = defineNodeKind<ApprovalConfig>()({
  kind: 'approval',
  version: 1,
  category: 'logic',
  displayName: 'Approval',
  description: 'Parks the run until someone approves or rejects it through the API.',
  icon: 'check-circle',
  configSchema: ApprovalConfigSchema,
  defaultConfig: { key: 'id' },
  isTrigger: false,
  runsInEngine: true,
  outputs: ['approved', 'rejected', 'timeout', 'error'],
});

export const controlNodeKinds = [mapKind, joinKind, waitForEvent, approval, workflowCall] as const;
export type ControlNodeKind = (typeof controlNodeKinds)[number]['kind'];

/** Every kind this package defines: core kinds (with executors) then control kinds (run by the engine). */
export const builtinNodeKinds: readonly NodeKindDefinition<unknown>[] = [...coreNodeKinds, ...controlNodeKinds].map(
  (k) => k as unknown as NodeKindDefinition<unknown>,
);

export const builtinRegistry: ReadonlyMap<string, NodeKindDefinition<unknown>> = new Map(builtinNodeKinds.map((k) => [k.kind, k]));
