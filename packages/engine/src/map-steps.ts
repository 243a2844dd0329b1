import { DEFAULT_OUTPUT_PORT, MAP_ITEM_PORT, MapConfigSchema, type GraphNode } from '@switchyard/workflow';
import { describeValue, evaluate } from './expressions';
import { activationLogger, complete, failFinally, invalidConfig, pruneUndefined, recordCompensable, stepBase, type StepOutcome } from './outcomes';
import type { Activation, Logger, MapFrame, RunState, StepRecord } from './ports';
import { activationIdempotencyKey, type RunContext } from './run-context';
import { invalidGraph, removeActivation } from './run-state';
import { type ClassifiedError } from './step-error';

/**
 * A map runs its body node once per item. The item list is evaluated once and kept in a frame in the
 * run state; item activations are materialised only while a slot is free (`concurrency`), so the
 * items beyond the limit wait in the frame. Item activation ids are `<map activation>.<index>`, which
 * makes every item's idempotency key distinct and stable across retries and crashes.
 */
export const MAX_MAP_ITEMS = 10_000;

export async function startMap(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): Promise<StepOutcome> {
  const now = rc.clock.now();
  const logger = activationLogger(rc, activation, node.kind);
  const key = activationIdempotencyKey(rc.run, node.id, activation.id);
  const fail = (error: ClassifiedError) => failFinally(rc, state, node, activation, [stepBase(activation, key, now, now)], error, logger);

  const parsed = MapConfigSchema.safeParse(node.config);
  if (!parsed.success) return fail(invalidConfig('map', parsed.error));
  const bodies = rc.graph.targets(node.id, MAP_ITEM_PORT);
  const bodyNodeId = bodies[0];
  if (bodies.length !== 1 || bodyNodeId === undefined || !rc.graph.node(bodyNodeId)) {
    return fail(invalidGraph(`map "${node.id}" needs exactly one existing node on its "${MAP_ITEM_PORT}" port, found ${bodies.length}`));
  }
  const config = parsed.data;
  const evaluated = await evaluate(config.items, activation.input, rc.run.triggerPayload, `map "${node.id}" items`);
  if (!evaluated.ok) return fail(evaluated.error);
  const items = evaluated.value;
  if (!Array.isArray(items)) {
    return fail({
      code: 'map_items_not_array',
      message: `map "${node.id}": the items expression must yield an array, got ${describeValue(items)}; wrap it in [ ] to iterate over a single value`,
      retryable: false,
    });
  }
  if (items.length > MAX_MAP_ITEMS) {
    return fail({ code: 'map_too_large', message: `map "${node.id}": ${items.length} items; at most ${MAX_MAP_ITEMS} per map (split into chunks)`, retryable: false });
  }
  const frame: MapFrame = {
    activation: structuredClone(activation),
    bodyNodeId,
    items,
    results: items.map(() => null),
    next: 0,
    done: 0,
    concurrency: config.concurrency,
    onItemError: config.onItemError,
    startedAt: now,
  };
  removeActivation(state, activation.id);
  (state.maps ??= {})[activation.id] = frame;
  logger.info({ items: items.length, concurrency: config.concurrency, body: bodyNodeId }, 'map started');
  return advanceMap(rc, state, activation.id, frame, []);
}

export function mapItemSucceeded(rc: RunContext, state: RunState, activation: Activation, step: StepRecord, output: unknown): StepOutcome {
  const { map: mapId, index } = activation.item!;
  const frame = state.maps?.[mapId];
  removeActivation(state, activation.id);
  if (!frame) return { steps: [step], commit: true };
  frame.results[index] = output;
  frame.done += 1;
  const body = rc.graph.node(activation.nodeId);
  if (body) recordCompensable(state, body, activation.id, activation.input, output);
  return advanceMap(rc, state, mapId, frame, [step]);
}

/** An item failed for good: keep its error in its slot (`continue`) or fail the whole map (`fail`). */
export function mapItemFailed(rc: RunContext, state: RunState, activation: Activation, step: StepRecord, error: ClassifiedError, logger: Logger): StepOutcome {
  const { map: mapId, index } = activation.item!;
  const frame = state.maps?.[mapId];
  removeActivation(state, activation.id);
  if (!frame) return { steps: [step], commit: true };
  if (frame.onItemError === 'continue') {
    frame.results[index] = { error: pruneUndefined({ code: error.code, message: error.message, status: error.status }), input: activation.input };
    frame.done += 1;
    logger.warn({ code: error.code, err: error.message }, 'map item failed; kept in its slot');
    return advanceMap(rc, state, mapId, frame, [step]);
  }
  // Items not yet finished are cancelled; one still in flight is recorded when it returns (as an orphan).
  state.pending = state.pending.filter((a) => a.item?.map !== mapId);
  dropFrame(state, mapId);
  const mapNode = rc.graph.node(frame.activation.nodeId)!;
  const now = rc.clock.now();
  const mapStep = stepBase(frame.activation, activationIdempotencyKey(rc.run, mapNode.id, frame.activation.id), frame.startedAt, now);
  const mapError: ClassifiedError = { ...error, message: `item ${index} of ${frame.items.length} failed: ${error.message}` };
  return failFinally(rc, state, mapNode, frame.activation, [step, mapStep], mapError, activationLogger(rc, frame.activation, mapNode.kind));
}

/** Starts items while slots are free; completes the map once every item is done. */
function advanceMap(rc: RunContext, state: RunState, mapId: string, frame: MapFrame, steps: StepRecord[]): StepOutcome {
  if (frame.done === frame.items.length) {
    dropFrame(state, mapId);
    const mapNode = rc.graph.node(frame.activation.nodeId)!;
    const now = rc.clock.now();
    const mapStep = stepBase(frame.activation, activationIdempotencyKey(rc.run, mapNode.id, frame.activation.id), frame.startedAt, now);
    mapStep.output = frame.results;
    mapStep.port = DEFAULT_OUTPUT_PORT;
    recordCompensable(state, mapNode, frame.activation.id, frame.activation.input, frame.results);
    complete(rc, state, mapNode, frame.activation, DEFAULT_OUTPUT_PORT, frame.results);
    activationLogger(rc, frame.activation, mapNode.kind).info({ items: frame.items.length, durationMs: mapStep.durationMs }, 'map finished');
    return { steps: [...steps, mapStep], completedOutput: { value: frame.results }, commit: true };
  }
  let running = state.pending.filter((a) => a.item?.map === mapId).length;
  while (running < frame.concurrency && frame.next < frame.items.length) {
    const index = frame.next;
    state.pending.push({ id: `${mapId}.${index}`, nodeId: frame.bodyNodeId, input: frame.items[index], attempt: 1, item: { map: mapId, index } });
    frame.next += 1;
    running += 1;
  }
  return { steps, commit: true };
}

function dropFrame(state: RunState, mapId: string): void {
  delete state.maps?.[mapId];
  if (state.maps && Object.keys(state.maps).length === 0) delete state.maps;
}
