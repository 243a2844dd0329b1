import { getServerDatabase, mayReadMetrics, renderMetrics } from '@switchyard/api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Prometheus scrape endpoint: tenant-labelled run figures read from the database, plus process metrics. */
export async function GET(req: Request): Promise<Response> {
  try {
    // The figures name every tenant: a scraper's bearer token or a platform admin's session only.
    if (!(await mayReadMetrics(await getServerDatabase(), req.headers))) {
      return new Response('# sign in as a platform admin or send Authorization: Bearer $SWITCHYARD_METRICS_TOKEN\n', {
        status: 401,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' },
      });
    }
    const { contentType, body } = await renderMetrics();
    return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  } catch (error) {
    // Opening the database failed (not configured, or not up yet): say so in the scraper's log.
    const message = error instanceof Error ? error.message : String(error);
    return new Response(`# metrics unavailable: ${message.replace(/\n/g, ' ')}\n`, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}
