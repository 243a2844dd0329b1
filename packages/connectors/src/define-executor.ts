import {
  NodeExecutionError,
  type ExecutorContext,
  type ExecutorResult,
  type NodeExecutor,
  type NodeKindDefinition,
} from '@switchyard/workflow';

export type TypedExecutor<Config> = (ctx: ExecutorContext, config: Config, input: unknown) => Promise<ExecutorResult>;

/**
 * Wraps a typed executor with config parsing against the kind's own schema. The engine should only
 * hand over validated configs, but versions are published by users and schemas evolve: re-parsing
 * applies defaults and turns a bad config into a permanent, field-specific error instead of a crash.
 */
export function defineExecutor<Config>(kind: NodeKindDefinition<Config>, run: TypedExecutor<Config>): NodeExecutor {
  return (ctx, rawConfig, input) => {
    const parsed = kind.configSchema.safeParse(rawConfig ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues
        .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(config)'}: ${issue.message}`)
        .join('; ');
      return Promise.reject(
        new NodeExecutionError(`${kind.kind} config is invalid: ${details}`, { code: 'invalid_config', retryable: false }),
      );
    }
    return run(ctx, parsed.data, input);
  };
}
