/**
 * Browser-safe entry (`@switchyard/connectors/metadata`): the node kinds this package can execute,
 * as the workflow package's definitions (display metadata, config schema, ports). The designer palette
 * and the API's validation import this; they must never pull in executors (undici, JSONata runtime,
 * node: modules), so this file imports nothing but `@switchyard/workflow`.
 */
import { coreNodeKinds, type CoreNodeKind, type NodeKindDefinition, type NodeKindRegistry } from '@switchyard/workflow';

export type ConnectorNodeKind = CoreNodeKind;

/** In palette order. Only the core kinds for now; ERP connectors will append theirs. */
export const connectorNodeKinds: readonly NodeKindDefinition<unknown>[] = coreNodeKinds.map(
  (kind) => kind as unknown as NodeKindDefinition<unknown>,
);

export const connectorKindRegistry: NodeKindRegistry = new Map(connectorNodeKinds.map((kind) => [kind.kind, kind]));

export {
  coreNodeKinds,
  manualTrigger,
  webhookTrigger,
  httpRequest,
  transform,
  condition,
  respond,
  delay,
  type CoreNodeKind,
} from '@switchyard/workflow';
