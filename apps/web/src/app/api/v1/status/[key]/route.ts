import { getServerDatabase, handlePortalStatusRequest } from '@switchyard/api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Run status by business key for portals: `Authorization: Bearer sy_…` with the `status` scope. */
export async function GET(req: Request, ctx: { params: Promise<{ key: string }> }): Promise<Response> {
  const { key } = await ctx.params;
  try {
    const result = await handlePortalStatusRequest(await getServerDatabase(), { headers: req.headers, businessKey: safeDecode(key) });
    return Response.json(result.body, { status: result.status, headers: result.headers });
  } catch {
    return Response.json({ error: 'the status service is unavailable' }, { status: 503 });
  }
}

/** Next hands params over percent-encoded or not depending on the characters: decode only when valid. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
