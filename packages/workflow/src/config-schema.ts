import { z } from 'zod';
import { builtinRegistry } from './kinds/control';
import { outputPortsOf, type NodeCategory, type NodeKindDefinition, type NodeKindRegistry } from './kinds/contract';

export type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * The JSON Schema of a kind's config, from which the designer renders the side-panel form. It
 * describes the *input* side (`io: 'input'`): fields with defaults are optional there, because
 * the form may leave them empty and parsing fills them in. Types JSON Schema cannot express (none
 * in the core kinds) become `{}` instead of throwing, so one odd connector cannot break the palette.
 */
export function configJsonSchema(def: NodeKindDefinition<unknown>): JsonSchema {
  return z.toJSONSchema(def.configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}

/** Everything the designer needs about a kind, as plain JSON (it crosses tRPC and RSC boundaries). */
export interface NodeKindMetadata {
  kind: string;
  version: number;
  category: NodeCategory;
  displayName: string;
  description: string;
  icon: string;
  isTrigger: boolean;
  /** Output ports for the default config; when `dynamicOutputs`, they change with the config. */
  outputs: string[];
  dynamicOutputs: boolean;
  defaultConfig: unknown;
  jsonSchema: JsonSchema;
}

export function nodeKindMetadata(def: NodeKindDefinition<unknown>): NodeKindMetadata {
  return {
    kind: def.kind,
    version: def.version,
    category: def.category,
    displayName: def.displayName,
    description: def.description,
    icon: def.icon,
    isTrigger: def.isTrigger,
    outputs: [...outputPortsOf(def, def.defaultConfig)],
    dynamicOutputs: typeof def.outputs === 'function',
    // A copy: callers (forms) may mutate it, the registry's default must stay as declared.
    defaultConfig: structuredClone(def.defaultConfig),
    jsonSchema: configJsonSchema(def),
  };
}

/** Metadata of every kind in the registry, in registration order (the palette's order). */
export function listNodeKinds(registry: NodeKindRegistry = builtinRegistry): NodeKindMetadata[] {
  return [...registry.values()].map(nodeKindMetadata);
}
