import { delay, manualTrigger, webhookTrigger, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';

// Triggers have no work to do at run time: ingress (API or webhook) already accepted the payload and
// it arrives here as the input, so the first step records it and hands it on.
export const manualTriggerExecutor: NodeExecutor = defineExecutor(manualTrigger, (_ctx, _config, input) =>
  Promise.resolve({ output: input }),
);

export const webhookTriggerExecutor: NodeExecutor = defineExecutor(webhookTrigger, (_ctx, _config, input) =>
  Promise.resolve({ output: input }),
);

// The wait itself is a durable timer the engine parks the run on (no sleep in a worker); by the time
// the executor is called the time has passed, so it only forwards the input.
export const delayExecutor: NodeExecutor = defineExecutor(delay, (_ctx, _config, input) =>
  Promise.resolve({ output: input }),
);
