import { NodeExecutionError } from '@switchyard/workflow';
import { OutboundBlockedError } from './guarded-agent';
import { RedirectError, unwrapBlocked } from './outbound-fetch';

/**
 * A refused destination or a bad redirect as a permanent step error: retrying cannot change the
 * answer, and the message says which host and why, so a tenant admin can fix the URL.
 */
export function outboundRefusal(err: unknown, label: string): NodeExecutionError | undefined {
  const blocked = err instanceof OutboundBlockedError ? err : unwrapBlocked(err);
  if (blocked) return new NodeExecutionError(`${label} failed: ${blocked.message}`, { code: 'outbound_blocked', retryable: false });
  if (err instanceof RedirectError) return new NodeExecutionError(`${label} failed: ${err.message}`, { code: 'redirect_refused', retryable: false });
  return undefined;
}
