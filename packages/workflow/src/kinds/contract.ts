import type { z } from 'zod';

export type NodeCategory = 'trigger' | 'logic' | 'data' | 'action' | 'system';

/**
 * The browser-safe half of a node kind: what the designer and the validator need.
 * Executors (server side) live in packages/connectors, keyed by the same `kind`.
 */
export interface NodeKindDefinition<Config = unknown> {
  kind: string;
  version: number;
  category: NodeCategory;
  displayName: string;
  description: string;
  /** Short glyph or icon name rendered by the designer. */
  icon: string;
  configSchema: z.ZodType<Config>;
  defaultConfig: Config;
  /** Triggers start a run and have no inputs. */
  isTrigger: boolean;
  /** Output ports; a function when they depend on the config (e.g. switch cases). */
  outputs: readonly string[] | ((config: Config) => readonly string[]);
}

export type NodeKindRegistry = ReadonlyMap<string, NodeKindDefinition<unknown>>;

export function defineNodeKind<Config>(def: NodeKindDefinition<Config>): NodeKindDefinition<Config> {
  return def;
}

export function outputPortsOf<Config>(def: NodeKindDefinition<Config>, config: Config): readonly string[] {
  return typeof def.outputs === 'function' ? def.outputs(config) : def.outputs;
}
