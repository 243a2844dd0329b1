export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ReadBody {
  text: string;
  truncated: boolean;
}

/**
 * Reads at most `maxBytes` of the body and cancels the rest: a step output is stored in the run
 * state and history, so an endpoint returning 500 MB must not take the worker (or the database) down.
 */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<ReadBody> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - received;
    if (value.byteLength > room) {
      text += decoder.decode(value.subarray(0, room));
      await reader.cancel();
      return { text, truncated: true };
    }
    received += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), truncated: false };
}

/** JSON when the server says so and it parses; otherwise the text; null for an empty body. */
export function decodeBody(read: ReadBody, contentType: string | null, maxBytes: number): unknown {
  if (read.truncated) return `${read.text}\n…[truncated: response body exceeded ${maxBytes} bytes]`;
  if (read.text === '') return null;
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(read.text) as unknown;
    } catch {
      return read.text;
    }
  }
  return read.text;
}

/** A short, single-line excerpt for error messages. */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
