import type { ApprovalDecision, RunState, WaitKind } from './ports';

export interface EventDelivery {
  kind: WaitKind;
  /** Must equal the key the wait registered (its key expression's value, as a string). */
  key: string;
  /** Becomes the output of the waiting node. */
  payload: unknown;
  /** Required for approvals: the port the approval node leaves by. */
  decision?: ApprovalDecision;
  /** Narrows the delivery to one wait (e.g. an approval chosen on the run screen). */
  activationId?: string;
}

export interface DeliverEventOptions {
  /** Epoch ms; a wait whose timeout has passed no longer matches (its timeout port wins). */
  now?: number;
}

export interface DeliverEventResult {
  /** A new state (the input is not changed); equal in content to the input when nothing matched. */
  state: RunState;
  matched: boolean;
  /** Activations whose wait the delivery completed. */
  activationIds: string[];
}

/**
 * Completes the open waits of a run that match an incoming event or decision. Pure: the caller
 * (API/db) applies it to the stored state of a run that no worker holds, in the same transaction
 * that writes the result back and makes the run claimable now (status `queued`, wake_at now()).
 * The next claim then records the node's step and follows its `out` (event) or `approved` /
 * `rejected` (approval) port. Every matching wait is completed: two branches waiting for the same
 * key both go on. A second delivery of the same event matches nothing (the waits are done).
 */
export function deliverEvent(state: RunState, delivery: EventDelivery, options: DeliverEventOptions = {}): DeliverEventResult {
  checkDelivery(delivery);
  const next = structuredClone(state);
  const activationIds: string[] = [];
  for (const activation of next.pending) {
    const wait = activation.wait;
    if (!wait || wait.delivered || wait.kind !== delivery.kind || wait.key !== delivery.key) continue;
    if (delivery.activationId !== undefined && activation.id !== delivery.activationId) continue;
    if (options.now !== undefined && wait.timeoutAt !== undefined && wait.timeoutAt <= options.now) continue;
    wait.delivered = { payload: structuredClone(delivery.payload) };
    if (delivery.kind === 'approval') wait.delivered.decision = delivery.decision;
    if (options.now !== undefined) wait.delivered.at = options.now;
    activationIds.push(activation.id);
  }
  return { state: next, matched: activationIds.length > 0, activationIds };
}

/** Bad input from an API caller gets a message naming the field, not a silent mismatch. */
function checkDelivery(delivery: EventDelivery): void {
  if (delivery.kind !== 'event' && delivery.kind !== 'approval' && delivery.kind !== 'child') {
    throw new TypeError(`delivery.kind must be "event", "approval" or "child" (got ${JSON.stringify(delivery.kind)})`);
  }
  if (typeof delivery.key !== 'string' || delivery.key.length === 0) {
    throw new TypeError(`delivery.key must be a non-empty string (got ${JSON.stringify(delivery.key)})`);
  }
  if (delivery.kind === 'approval' && delivery.decision !== 'approved' && delivery.decision !== 'rejected') {
    throw new TypeError(`delivery.decision must be "approved" or "rejected" for an approval (got ${JSON.stringify(delivery.decision)})`);
  }
  if (delivery.kind !== 'approval' && delivery.decision !== undefined) {
    throw new TypeError('delivery.decision is only for approvals; an event carries its data in payload');
  }
}
