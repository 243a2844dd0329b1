import { createHmac } from 'node:crypto';

// Standard Webhooks signing (https://www.standardwebhooks.com) for outbound deliveries: the HMAC-SHA256
// of `${id}.${timestamp}.${body}` under the base64 part of a `whsec_` secret, sent as
// `webhook-signature: v1,<base64>`. Ingress verification (packages/api/src/ingress/signature.ts) is
// the receiving side of the same scheme; the status-out tests check one against the other.

const SECRET_PREFIX = 'whsec_';

export function signStandardWebhook(input: { secret: string; id: string; timestamp: number; body: string }): string {
  const base64 = input.secret.startsWith(SECRET_PREFIX) ? input.secret.slice(SECRET_PREFIX.length) : input.secret;
  const mac = createHmac('sha256', Buffer.from(base64, 'base64')).update(`${input.id}.${input.timestamp}.${input.body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** The three headers of a signed delivery. */
export function standardWebhookHeaders(input: { secret: string; id: string; timestamp: number; body: string }): Record<string, string> {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signStandardWebhook(input),
  };
}
