import { z } from 'zod';
import {
  CompensationSchema,
  GraphEdgeSchema,
  GraphNodeSchema,
  GraphSettingsSchema,
  IdSchema,
  MAX_EDGES,
  MAX_NODES,
  NodePolicySchema,
  PositionSchema,
} from './graph';

/**
 * Every designer edit as data. The canvas applies them optimistically and keeps their inverses for
 * undo/redo; the server parses them with GraphOperationSchema, applies the same function, validates
 * and persists. One name per schema and its inferred type.
 */

const nodeIds = z.array(IdSchema).min(1).max(MAX_NODES);
const edgeIds = z.array(IdSchema).min(1).max(MAX_EDGES);
const index = z.number().int().min(0).max(MAX_EDGES);

export const AddNodeOperationSchema = z.object({ type: z.literal('addNode'), node: GraphNodeSchema });

/** Removes the nodes and every edge attached to them. */
export const RemoveNodesOperationSchema = z.object({ type: z.literal('removeNodes'), nodeIds });

export const MoveNodesOperationSchema = z.object({
  type: z.literal('moveNodes'),
  moves: z.array(z.object({ nodeId: IdSchema, position: PositionSchema })).min(1).max(MAX_NODES),
});

/** Replaces the whole config (the side panel submits its form as one value). */
export const UpdateNodeConfigOperationSchema = z.object({
  type: z.literal('updateNodeConfig'),
  nodeId: IdSchema,
  config: z.record(z.string(), z.unknown()),
});

/** `label` absent removes the label. */
export const UpdateNodeLabelOperationSchema = z.object({
  type: z.literal('updateNodeLabel'),
  nodeId: IdSchema,
  label: z.string().max(200).optional(),
});

/** `policy` absent removes the node's own policy (workflow/tenant defaults apply). */
export const UpdateNodePolicyOperationSchema = z.object({
  type: z.literal('updateNodePolicy'),
  nodeId: IdSchema,
  policy: NodePolicySchema.optional(),
});

/** `compensation` absent removes the node's compensating action. */
export const UpdateNodeCompensationOperationSchema = z.object({
  type: z.literal('updateNodeCompensation'),
  nodeId: IdSchema,
  compensation: CompensationSchema.optional(),
});

export const AddEdgeOperationSchema = z.object({ type: z.literal('addEdge'), edge: GraphEdgeSchema });

export const RemoveEdgesOperationSchema = z.object({ type: z.literal('removeEdges'), edgeIds });

export const UpdateSettingsOperationSchema = z.object({ type: z.literal('updateSettings'), settings: GraphSettingsSchema });

/** Appends nodes and edges that already carry fresh ids (see preparePaste). */
export const PasteOperationSchema = z.object({
  type: z.literal('paste'),
  nodes: z.array(GraphNodeSchema).max(MAX_NODES),
  edges: z.array(GraphEdgeSchema).max(MAX_EDGES),
});

/**
 * Internal: the inverse of a removal. Puts nodes and edges back at their former positions in the
 * arrays, so that undo restores the graph exactly (order included). Not offered by the designer.
 */
export const RestoreOperationSchema = z.object({
  type: z.literal('restore'),
  nodes: z.array(z.object({ index, node: GraphNodeSchema })).max(MAX_NODES),
  edges: z.array(z.object({ index, edge: GraphEdgeSchema })).max(MAX_EDGES),
});

export const PrimitiveGraphOperationSchema = z.discriminatedUnion('type', [
  AddNodeOperationSchema,
  RemoveNodesOperationSchema,
  MoveNodesOperationSchema,
  UpdateNodeConfigOperationSchema,
  UpdateNodeLabelOperationSchema,
  UpdateNodePolicyOperationSchema,
  UpdateNodeCompensationOperationSchema,
  AddEdgeOperationSchema,
  RemoveEdgesOperationSchema,
  UpdateSettingsOperationSchema,
  PasteOperationSchema,
  RestoreOperationSchema,
]);

/**
 * Several edits as one undo step (delete a selection of nodes and edges). Batches do not nest, which
 * keeps the schema non-recursive and hostile input shallow; inverses of batches are flattened.
 */
export const BatchOperationSchema = z.object({
  type: z.literal('batch'),
  operations: z.array(PrimitiveGraphOperationSchema).max(1000),
});

export const GraphOperationSchema = z.discriminatedUnion('type', [...PrimitiveGraphOperationSchema.options, BatchOperationSchema]);

export type AddNodeOperation = z.infer<typeof AddNodeOperationSchema>;
export type RemoveNodesOperation = z.infer<typeof RemoveNodesOperationSchema>;
export type MoveNodesOperation = z.infer<typeof MoveNodesOperationSchema>;
export type UpdateNodeConfigOperation = z.infer<typeof UpdateNodeConfigOperationSchema>;
export type UpdateNodeLabelOperation = z.infer<typeof UpdateNodeLabelOperationSchema>;
export type UpdateNodePolicyOperation = z.infer<typeof UpdateNodePolicyOperationSchema>;
export type UpdateNodeCompensationOperation = z.infer<typeof UpdateNodeCompensationOperationSchema>;
export type AddEdgeOperation = z.infer<typeof AddEdgeOperationSchema>;
export type RemoveEdgesOperation = z.infer<typeof RemoveEdgesOperationSchema>;
export type UpdateSettingsOperation = z.infer<typeof UpdateSettingsOperationSchema>;
export type PasteOperation = z.infer<typeof PasteOperationSchema>;
export type RestoreOperation = z.infer<typeof RestoreOperationSchema>;
export type PrimitiveGraphOperation = z.infer<typeof PrimitiveGraphOperationSchema>;
export type BatchOperation = z.infer<typeof BatchOperationSchema>;
export type GraphOperation = z.infer<typeof GraphOperationSchema>;
export type GraphOperationType = GraphOperation['type'];
