import type { ApiDatabase } from './trpc';

export type HealthReport =
  | { status: 'ok'; database: ApiDatabase['kind'] }
  | { status: 'unavailable'; database: ApiDatabase['kind']; error: string };

/**
 * `GET /api/health`: answer with `healthHttpStatus(report)` (200 or 503) and the report as the body.
 * Goes through the pool rather than Prisma so it checks the connection, not the client.
 */
export async function healthCheck(db: Pick<ApiDatabase, 'kind' | 'pool'>): Promise<HealthReport> {
  try {
    await db.pool.query('select 1');
    return { status: 'ok', database: db.kind };
  } catch (error) {
    return { status: 'unavailable', database: db.kind, error: error instanceof Error ? error.message : String(error) };
  }
}

export function healthHttpStatus(report: HealthReport): 200 | 503 {
  return report.status === 'ok' ? 200 : 503;
}
