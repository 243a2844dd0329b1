import { getServerDatabase, healthCheck, healthHttpStatus, type HealthReport } from '@switchyard/api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(): Promise<Response> {
  let report: HealthReport;
  try {
    report = await healthCheck(await getServerDatabase());
  } catch (error) {
    // Opening the database failed (not configured, or not up yet): report it instead of a bare 500.
    const database = process.env.SWITCHYARD_DATABASE_KIND === 'pglite' ? 'pglite' : 'postgres';
    report = { status: 'unavailable', database, error: error instanceof Error ? error.message : String(error) };
  }
  return Response.json(report, { status: healthHttpStatus(report), headers: NO_STORE });
}
