import type { ConnectionResolver, ExecutorContext, ExecutorResult, NodeExecutor } from '@switchyard/workflow';
import { SecretSet } from './secrets';

/** Every string in a JSON-like value with the secrets cut out (keys included); other values as they are. */
export function redactDeep(value: unknown, secrets: SecretSet): unknown {
  if (typeof value === 'string') return secrets.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [secrets.redact(k), redactDeep(v, secrets)]));
  }
  return value;
}

/** Credential fields that name someone rather than prove something: shown in records (CreatedByUser …), not secret. */
const IDENTIFIERS = new Set(['username', 'user', 'clientid', 'email', 'login']);

function credentialStrings(value: unknown, into: SecretSet): void {
  if (typeof value === 'string') into.add(value);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!IDENTIFIERS.has(k.toLowerCase())) credentialStrings(v, into);
  }
}

/**
 * Runs an executor with a connection resolver that remembers the credentials it handed out, and
 * cuts those credentials out of whatever the step returns or throws. The connectors already keep
 * credentials out of what they build themselves; this is the net for what a remote system sends back
 * (an endpoint that echoes the request headers, a record that happens to hold the API key), which
 * would otherwise be stored in run history as the step's output or error.
 */
export async function runRedactingConnectionSecrets(executor: NodeExecutor, ctx: ExecutorContext, resolver: ConnectionResolver, config: unknown, input: unknown): Promise<ExecutorResult> {
  const secrets = new SecretSet();
  let used = false;
  const tracking: ConnectionResolver = {
    async get(key) {
      const found = await resolver.get(key);
      if (found) {
        used = true;
        credentialStrings(found.credentials, secrets);
      }
      return found;
    },
  };
  try {
    const result = await executor({ ...ctx, connections: tracking }, config, input);
    return used ? (redactDeep(result, secrets) as ExecutorResult) : result;
  } catch (err) {
    if (used && err instanceof Error) err.message = secrets.redact(err.message);
    throw err;
  }
}
