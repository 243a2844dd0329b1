export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; status: 400 | 413; reason: string };

/**
 * Reads a request body up to `limit` bytes. Refuses early on a declared Content-Length above the
 * limit, and stops reading once the stream passes it, so a huge upload is never held in memory.
 */
export async function readBodyCapped(req: Request, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    return { ok: false, status: 413, reason: `the body is ${declared} bytes; at most ${limit} bytes are accepted` };
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array() };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        return { ok: false, status: 413, reason: `the body is larger than ${limit} bytes, the most that is accepted` };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, status: 400, reason: 'the request body could not be read (connection closed early?)' };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
