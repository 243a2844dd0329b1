import { getServerDatabase, handleEventWebhook, MAX_EVENT_BODY_BYTES } from '@switchyard/api';
import { readBodyCapped } from '@/lib/read-body';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_TYPE });
}

/**
 * POST /api/events/{tenant} (API key with the events scope) and /api/events/{tenant}/{hook path…}
 * (signed like that route's webhooks): events and approval decisions for waiting runs.
 */
export async function POST(req: Request, ctx: { params: Promise<{ tenant: string; path?: string[] }> }): Promise<Response> {
  const { tenant, path } = await ctx.params;
  const body = await readBodyCapped(req, MAX_EVENT_BODY_BYTES);
  if (!body.ok) return json(body.status, { error: body.reason });
  try {
    const db = await getServerDatabase();
    const result = await handleEventWebhook(db, { tenantSlug: tenant, path: (path ?? []).join('/'), headers: req.headers, rawBody: body.bytes });
    return new Response(JSON.stringify(result.body), { status: result.status, headers: { ...JSON_TYPE, ...result.headers } });
  } catch (error) {
    console.error('event ingress failed:', error);
    return json(503, { error: 'the event could not be accepted right now; retry later' });
  }
}
