import { describe, expect, it } from 'vitest';
import { readBodyCapped } from './read-body';

function streamed(parts: string[]): Request {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
  return new Request('http://127.0.0.1/x', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readBodyCapped', () => {
  it('returns the exact bytes of a body within the limit', async () => {
    const result = await readBodyCapped(streamed(['{"a":', '1}']), 100);
    expect(result.ok && new TextDecoder().decode(result.bytes)).toBe('{"a":1}');
  });

  it('refuses a declared Content-Length above the limit without reading', async () => {
    const req = new Request('http://127.0.0.1/x', { method: 'POST', body: 'x'.repeat(20), headers: { 'content-length': '20' } });
    expect(await readBodyCapped(req, 10)).toMatchObject({ ok: false, status: 413 });
  });

  it('stops a streamed body once it passes the limit', async () => {
    expect(await readBodyCapped(streamed(['12345', '67890', 'x']), 10)).toMatchObject({ ok: false, status: 413 });
  });

  it('treats a missing body as empty (the ingress then says why that is wrong)', async () => {
    const result = await readBodyCapped(new Request('http://127.0.0.1/x', { method: 'POST' }), 10);
    expect(result.ok && result.bytes.byteLength).toBe(0);
  });
});
