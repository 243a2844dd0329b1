import { renderMetrics } from '@switchyard/api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Prometheus scrape endpoint: tenant-labelled run figures read from the database, plus process metrics. */
export async function GET(): Promise<Response> {
  try {
    const { contentType, body } = await renderMetrics();
    return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  } catch (error) {
    // Opening the database failed (not configured, or not up yet): say so in the scraper's log.
    const message = error instanceof Error ? error.message : String(error);
    return new Response(`# metrics unavailable: ${message.replace(/\n/g, ' ')}\n`, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}
