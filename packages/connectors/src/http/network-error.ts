interface ErrorWithCode {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'DNS lookup failed (host not found)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/**
 * undici reports transport failures as `TypeError: fetch failed` with the system error in `cause`
 * (an AggregateError when several addresses were tried); dig out the code for a useful message.
 */
export function describeNetworkError(err: unknown): string {
  const code = findCode(err, 0);
  if (code) return `${DESCRIPTIONS[code] ?? 'network error'} (${code})`;
  const cause = (err as ErrorWithCode | null)?.cause as ErrorWithCode | undefined;
  const message = cause?.message ?? (err as ErrorWithCode | null)?.message;
  return typeof message === 'string' && message !== '' ? message : 'network error';
}

function findCode(err: unknown, depth: number): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const candidate = err as ErrorWithCode;
  if (typeof candidate.code === 'string' && candidate.code !== '') return candidate.code;
  const fromCause = findCode(candidate.cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(candidate.errors)) {
    for (const inner of candidate.errors) {
      const found = findCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
