import { z } from 'zod';

/**
 * Browser-safe: what a connection of each system holds. `config` is ordinary settings (shown and
 * edited freely); `credentials` are secrets, stored encrypted and never sent back to a browser. The
 * API validates connections with these schemas and the designer renders the connection form from them.
 */
export interface ConnectionSystemDefinition {
  system: string;
  displayName: string;
  description: string;
  /** Placeholder for the base URL field. */
  baseUrlExample: string;
  configSchema: z.ZodType<Record<string, unknown>>;
  credentialsSchema: z.ZodType<Record<string, unknown>>;
  /** URL schemes the base URL may use; http and https unless a system says otherwise (databases). */
  baseUrlProtocols?: readonly string[];
  /** Cross-field rules (which credentials an auth method needs); issues name the field. */
  check?: (config: Record<string, unknown>, credentials: Record<string, unknown>) => ConnectionIssue[];
}

export interface ConnectionIssue {
  /** `config.accountId`, `credentials.clientSecret`, `baseUrl`. */
  field: string;
  message: string;
}

export const secret = (title: string, description?: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(4000)
    .meta({ title, ...(description ? { description } : {}), writeOnly: true });

export const setting = (title: string, description?: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500)
    .meta({ title, ...(description ? { description } : {}) });

/**
 * Validates a connection's parts; every issue names the field (`credentials.tokenSecret`) and never
 * the value, so the message is safe to show even when the value is a secret.
 */
export function checkConnection(
  def: ConnectionSystemDefinition,
  input: { baseUrl: string; config: unknown; credentials: unknown },
): { ok: true; config: Record<string, unknown>; credentials: Record<string, unknown> } | { ok: false; issues: ConnectionIssue[] } {
  const issues: ConnectionIssue[] = [];
  let url: URL | undefined;
  try {
    url = new URL(input.baseUrl);
  } catch {
    issues.push({ field: 'baseUrl', message: `must be an absolute URL (${(def.baseUrlProtocols ?? ['http', 'https']).map((p) => `${p}://`).join(' or ')})` });
  }
  const protocols = def.baseUrlProtocols ?? ['http', 'https'];
  if (url && !protocols.includes(url.protocol.replace(/:$/, ''))) issues.push({ field: 'baseUrl', message: `must use ${protocols.join(' or ')}` });
  if (url && (url.username || url.password)) issues.push({ field: 'baseUrl', message: 'must not contain credentials; put them in the credential fields' });
  const config = def.configSchema.safeParse(input.config ?? {});
  const credentials = def.credentialsSchema.safeParse(input.credentials ?? {});
  const collect = (prefix: string, error: z.ZodError, source: unknown) => {
    for (const issue of error.issues) {
      const path = issue.path.map(String).join('.');
      const value = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), source);
      // Say only what was expected: the value itself may be a secret.
      const message = issue.code === 'invalid_type' ? (value === undefined ? 'is required' : `must be a ${String(issue.expected)}`) : issue.message;
      issues.push({ field: path ? `${prefix}.${path}` : prefix, message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : message });
    }
  };
  if (!config.success) collect('config', config.error, input.config ?? {});
  if (!credentials.success) collect('credentials', credentials.error, input.credentials ?? {});
  if (config.success && credentials.success && def.check) issues.push(...def.check(config.data, credentials.data));
  if (issues.length > 0 || !config.success || !credentials.success) return { ok: false, issues };
  return { ok: true, config: config.data, credentials: credentials.data };
}
