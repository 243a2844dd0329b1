import { z } from 'zod';
import { defineNodeKind } from './contract';

/**
 * Sub-workflow call: the engine starts a child run of another published workflow of the same tenant
 * and parks the parent until the child ends. Control kind (no executor): the child is created by the
 * run store in the same transaction that parks the parent, so a crashed or retried step can never
 * start two children.
 */

/** How deep calls may nest (a workflow that calls itself ends here instead of forever). */
export const MAX_CALL_DEPTH = 8;

export const WorkflowCallConfigSchema = z.object({
  workflow: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200)
    .meta({ title: 'Workflow', description: 'Id or name of a published workflow of the same tenant.' }),
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ title: 'Version', description: 'Pin a published version number; empty uses the version the workflow currently runs (its active version).' }),
  input: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(10_000)
    .optional()
    .meta({ title: 'Input', description: 'JSONata over the node input giving the child run’s trigger payload; empty passes the node input unchanged.' }),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(365 * 86_400_000)
    .optional()
    .meta({ title: 'Timeout (ms)', description: 'Leave by the `timeout` port when the child has not ended in time (the child keeps running); empty waits without limit.' }),
});

export type WorkflowCallConfig = z.infer<typeof WorkflowCallConfigSchema>;

export const workflowCall = defineNodeKind<WorkflowCallConfig>()({
  kind: 'workflow.call',
  version: 1,
  category: 'logic',
  displayName: 'Call workflow',
  description: 'Runs another published workflow as a child run (same correlation id) and outputs its result; a failed child leaves by the error port.',
  icon: 'workflow',
  configSchema: WorkflowCallConfigSchema,
  defaultConfig: { workflow: 'Invoice sync' },
  isTrigger: false,
  runsInEngine: true,
  outputs: ['out', 'timeout', 'error'],
});
