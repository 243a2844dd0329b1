import { getServerDatabase, handleWebhook, MAX_WEBHOOK_BODY_BYTES } from '@switchyard/api';
import { readBodyCapped } from '@/lib/read-body';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
// These statuses must not carry a body (the Response constructor throws if given one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_TYPE });
}

/** POST /api/hooks/{tenant}/{path…}: raw bytes and headers go to the API's ingress, unchanged. */
export async function POST(req: Request, ctx: { params: Promise<{ tenant: string; path: string[] }> }): Promise<Response> {
  const { tenant, path } = await ctx.params;
  // Read at most one byte past the limit, so an oversized body is refused without buffering all of it.
  const body = await readBodyCapped(req, MAX_WEBHOOK_BODY_BYTES);
  if (!body.ok) return json(body.status, { error: body.reason });

  try {
    const db = await getServerDatabase();
    const result = await handleWebhook(db, { tenantSlug: tenant, path: path.join('/'), headers: req.headers, rawBody: body.bytes });
    const payload = NULL_BODY_STATUSES.has(result.status) || result.body === undefined ? null : JSON.stringify(result.body);
    return new Response(payload, { status: result.status, headers: { ...JSON_TYPE, ...result.headers } });
  } catch (error) {
    // Bad input is answered by handleWebhook with a 4xx; reaching here means the server could not do its part.
    console.error('webhook ingress failed:', error);
    return json(503, { error: 'the webhook could not be accepted right now; retry later' });
  }
}
