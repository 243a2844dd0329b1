import { getServerDatabase, handleRunStatusRequest } from '@switchyard/api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Run status for machine clients: `Authorization: Bearer sy_…` with the `runs:read` scope. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  try {
    const result = await handleRunStatusRequest(await getServerDatabase(), { headers: req.headers, runId: id });
    return Response.json(result.body, { status: result.status, headers: { ...result.headers, 'cache-control': 'no-store' } });
  } catch {
    return Response.json({ error: 'the run status service is unavailable' }, { status: 503 });
  }
}
