/**
 * The only file that calls initTRPC (style.md §2): it exports the approved builders and nothing that
 * would let a router skip tenant scoping.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { Database, TenantSummary } from '@switchyard/db';
import { findTenantBySlug } from '@switchyard/db';
import { fieldErrorsOf, GraphIssuesError } from './errors';
import { getServerDatabase } from './server-database';

/** What procedures need of the database: the handle returned by @switchyard/db's openDatabase. */
export type ApiDatabase = Pick<Database, 'kind' | 'prisma' | 'pool'>;

/** Header carrying the tenant slug on every tRPC request (the web app sets it from the tenant picker). */
export const TENANT_HEADER = 'x-switchyard-tenant';

export interface CreateContextOptions {
  db: ApiDatabase;
  tenantSlug: string | null;
}

/** Context without HTTP, so router tests call procedures directly through createCaller (style.md §5). */
export function createContextInner(opts: CreateContextOptions) {
  return { db: opts.db, tenantSlug: opts.tenantSlug?.trim() || null };
}

export type Context = ReturnType<typeof createContextInner>;
/** The context of a tenantProcedure, for handlers in their own files. */
export type TenantContext = Context & { tenant: TenantSummary };

/** For the fetch adapter (Next.js route handler at /api/trpc). */
export async function createContext({ req }: { req: Request }): Promise<Context> {
  return createContextInner({ db: await getServerDatabase(), tenantSlug: req.headers.get(TENANT_HEADER) });
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const graphIssues = error.cause instanceof GraphIssuesError ? error.cause.issues : null;
    const fieldErrors = graphIssues ? null : fieldErrorsOf(error.cause);
    // Unexpected failures (a driver error, a bug) may quote SQL or internals: keep them in the server
    // log (the route handler's onError), not in what a browser receives in production.
    const message = error.code === 'INTERNAL_SERVER_ERROR' && process.env.NODE_ENV === 'production' ? 'Internal server error' : shape.message;
    return { ...shape, message, data: { ...shape.data, graphIssues, fieldErrors } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Resolves the tenant slug to its row; procedures built on it see `ctx.tenant` and scope every query by its id. */
export const tenantProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.tenantSlug) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `No tenant selected: send the tenant slug in the ${TENANT_HEADER} header`,
    });
  }
  const tenant = await findTenantBySlug(ctx.db.prisma, ctx.tenantSlug);
  if (!tenant) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `Tenant ${JSON.stringify(ctx.tenantSlug)} does not exist` });
  }
  return next({ ctx: { ...ctx, tenant } });
});
