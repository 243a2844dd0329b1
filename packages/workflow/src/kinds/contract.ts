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
  /**
   * Control-flow kinds the engine interprets itself (delay, map, join, waits): they have no executor,
   * so they cannot be a map body or a compensation.
   */
  runsInEngine?: boolean;
  /** Output ports; a function when they depend on the config (e.g. switch cases). */
  outputs: readonly string[] | ((config: Config) => readonly string[]);
}

export type NodeKindRegistry = ReadonlyMap<string, NodeKindDefinition<unknown>>;

/**
 * Declares a node kind. The kind name stays a literal type (`Config` is given explicitly, `Kind`
 * is inferred through the curried call) so that executor registries keyed by `CoreNodeKind` are
 * checked for exhaustiveness by the compiler.
 */
export function defineNodeKind<Config>() {
  return <const Kind extends string>(def: NodeKindDefinition<Config> & { kind: Kind }): NodeKindDefinition<Config> & { kind: Kind } => def;
}

export function outputPortsOf<Config>(def: NodeKindDefinition<Config>, config: Config): readonly string[] {
  return typeof def.outputs === 'function' ? def.outputs(config) : def.outputs;
}
