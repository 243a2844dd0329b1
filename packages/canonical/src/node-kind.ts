import { defineNodeKind, NodeExecutionError, type ExecutorResult } from '@switchyard/workflow';
import { z } from 'zod';
import { CANONICAL_NAMES, canonicalVersions, isCanonicalName, latestCanonicalVersion, type CanonicalName } from './registry';
import { migrateCanonical } from './migrations';

/**
 * The "validate canonical" node: checks its input against a canonical schema before anything is
 * sent anywhere. Invalid input either leaves by the `invalid` port with the field errors (so the
 * workflow can answer 400 through a respond node) or fails the step permanently.
 * Declared here, browser-safe; connectors register `runValidateCanonical` as its executor.
 */
export const ValidateCanonicalConfigSchema = z
  .object({
    object: z.enum(CANONICAL_NAMES as [CanonicalName, ...CanonicalName[]]).meta({ title: 'Object' }),
    version: z.number().int().min(1).meta({ title: 'Version', description: 'The version the input is written in.' }),
    migrateToLatest: z
      .boolean()
      .default(false)
      .meta({ title: 'Migrate to latest', description: 'Output the object migrated to the latest version of its schema.' }),
    onInvalid: z
      .enum(['route', 'fail'])
      .default('route')
      .meta({ title: 'When invalid', description: '"route" leaves by the invalid port with the errors; "fail" fails the step.' }),
  })
  .superRefine((config, ctx) => {
    if (isCanonicalName(config.object) && !canonicalVersions(config.object).includes(config.version)) {
      ctx.addIssue({ code: 'custom', path: ['version'], message: `must be one of ${canonicalVersions(config.object).join(', ')} for ${config.object}` });
    }
  });
export type ValidateCanonicalConfig = z.output<typeof ValidateCanonicalConfigSchema>;

export const validateCanonicalNodeKind = defineNodeKind<ValidateCanonicalConfig>()({
  kind: 'canonical.validate',
  version: 1,
  category: 'data',
  displayName: 'Validate canonical object',
  description: 'Checks the input against a canonical schema (customer, invoice, …) and names every failing field.',
  icon: 'shield-check',
  configSchema: ValidateCanonicalConfigSchema,
  defaultConfig: { object: 'invoice', version: 2, migrateToLatest: false, onInvalid: 'route' },
  isTrigger: false,
  outputs: (config) => (config.onInvalid === 'route' ? ['out', 'invalid'] : ['out']),
});

/** The node's behaviour, free of I/O: connectors wrap it as the executor of `canonical.validate`. */
export function runValidateCanonical(config: ValidateCanonicalConfig, input: unknown): ExecutorResult {
  const target = config.migrateToLatest ? latestCanonicalVersion(config.object) : config.version;
  const result = migrateCanonical(config.object, input, config.version, target);
  if (result.ok) return { output: result.value, port: 'out' };
  if (config.onInvalid === 'route') {
    return { output: { object: config.object, version: config.version, errors: result.errors }, port: 'invalid' };
  }
  const summary = result.errors
    .slice(0, 10)
    .map((e) => (e.path === '' ? e.message : `${e.path} ${e.message}`))
    .join('; ');
  const more = result.errors.length > 10 ? `; and ${result.errors.length - 10} more` : '';
  throw new NodeExecutionError(`${config.object} v${config.version} is invalid: ${summary}${more}`, { code: 'validation_failed', retryable: false, status: 400 });
}
