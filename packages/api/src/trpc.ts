/**
 * The only file that calls initTRPC (style.md §2): it exports the approved builders and nothing that
 * would let a router skip tenant scoping.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { Database, TenantSummary } from '@switchyard/db';
import { asPlatform, findTenantBySlug, withTenant } from '@switchyard/db';
import { fieldErrorsOf, GraphIssuesError } from './errors';
import { getServerDatabase } from './server-database';
import { stripDangerousKeys } from './security/safe-json';
import { roleAtLeast, type SessionUser, type TenantRole } from './auth/roles';
import { sessionUserOf } from './auth/server-auth';
import { findMembershipRole } from './auth/memberships';

/** What procedures need of the database: the handle returned by @switchyard/db's openDatabase. */
export type ApiDatabase = Pick<Database, 'kind' | 'prisma' | 'pool'>;

/** Header carrying the tenant slug on every tRPC request (the web app sets it from the tenant picker). */
export const TENANT_HEADER = 'x-switchyard-tenant';

export interface CreateContextOptions {
  db: ApiDatabase;
  tenantSlug: string | null;
  /** The signed-in user (from the session cookie), or null for an anonymous caller. */
  user?: SessionUser | null;
}

/** Context without HTTP, so router tests call procedures directly through createCaller (style.md §5). */
export function createContextInner(opts: CreateContextOptions) {
  return { db: opts.db, tenantSlug: opts.tenantSlug?.trim() || null, user: opts.user ?? null };
}

export type Context = ReturnType<typeof createContextInner>;
/** The context of a signedInProcedure. */
export type SignedInContext = Context & { user: SessionUser };
/** The context of a tenantProcedure, for handlers in their own files. */
export type TenantContext = SignedInContext & { tenant: TenantSummary; role: TenantRole };

/** For the fetch adapter (Next.js route handler at /api/trpc): the session cookie names the user. */
export async function createContext({ req }: { req: Request }): Promise<Context> {
  const db = await getServerDatabase();
  return createContextInner({ db, tenantSlug: req.headers.get(TENANT_HEADER), user: await sessionUserOf(db, req.headers) });
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

/**
 * Hardening: tRPC inputs are JSON parsed by the adapter, which keeps `__proto__`, `constructor` and
 * `prototype` as own keys; a later spread or merge of a config, payload or overlay could carry them
 * onto a prototype. Every procedure sees its input without them, as webhook bodies are at ingress.
 */
const withoutDangerousKeys = t.middleware(({ getRawInput, next }) => next({ getRawInput: async () => stripDangerousKeys(await getRawInput()) }));
const baseProcedure = t.procedure.use(withoutDangerousKeys);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = baseProcedure;

/** Any signed-in user; anonymous callers get UNAUTHORIZED. */
export const signedInProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first: this needs a signed-in user' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Platform administration across tenants (creating tenants, the platform dashboard, all users). */
export const platformAdminProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (!ctx.user.platformAdmin) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only a platform admin may do this' });
  // Row-level security: the one tRPC path that sees across tenants (tenant-scope.ts).
  return asPlatform('platform-admin', () => next({ ctx }));
});

/**
 * Resolves the tenant slug (header) to its row and the caller's role in it. A tenant the user is not
 * a member of answers exactly like one that does not exist, so tenant names cannot be probed.
 * Procedures built on it see `ctx.tenant` and `ctx.role` and scope every query by `ctx.tenant.id`.
 */
async function resolveMembership(ctx: SignedInContext): Promise<{ tenant: TenantSummary; role: TenantRole }> {
  if (!ctx.tenantSlug) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `No tenant selected: send the tenant slug in the ${TENANT_HEADER} header`,
    });
  }
  const tenant = await findTenantBySlug(ctx.db.prisma, ctx.tenantSlug);
  const role: TenantRole | null = !tenant
    ? null
    : ctx.user.platformAdmin
      ? 'tenant_admin'
      : await withTenant(tenant.id, () => findMembershipRole(ctx.db.prisma, ctx.user.id, tenant.id));
  if (!tenant || !role) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `Tenant ${JSON.stringify(ctx.tenantSlug)} does not exist or you are not a member of it` });
  }
  return { tenant, role };
}

/**
 * Everything a tenant procedure runs, it runs scoped to its tenant: row-level security then shows
 * and accepts that tenant's rows only, whatever a handler's own WHERE clause says (tenant-scope.ts).
 */
const tenantMember = signedInProcedure.use(async ({ ctx, next }) => {
  const member = await resolveMembership(ctx);
  return withTenant(member.tenant.id, () => next({ ctx: { ...ctx, ...member } }));
});

function requireRole(role: TenantRole, have: TenantRole, what: string): void {
  if (!roleAtLeast(have, role)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `${what} needs the ${role.replace('_', ' ')} role in this tenant; you are ${have.replace('_', ' ')}` });
  }
}

/**
 * A tenant procedure that needs at least `role` (viewer < operator < tenant_admin). Use the named
 * builders below; this is the one place the check lives.
 */
export function tenantRoleProcedure(role: TenantRole) {
  return tenantMember.use(({ ctx, path, next }) => {
    requireRole(role, ctx.role, path);
    return next({ ctx });
  });
}

/**
 * Reads for any member (viewer and up). Fails closed for writes: a MUTATION built on this builder
 * needs the tenant admin role, so a new procedure that forgets to pick a role cannot let a viewer
 * change configuration. Pick `operatorProcedure` or `tenantAdminProcedure` explicitly for writes.
 */
export const tenantProcedure = tenantMember.use(({ ctx, path, type, next }) => {
  requireRole(type === 'mutation' ? 'tenant_admin' : 'viewer', ctx.role, path);
  return next({ ctx });
});

/** Operating runs: trigger, replay, cancel, dead-letter actions, approvals, redeliveries. */
export const operatorProcedure = tenantRoleProcedure('operator');

/** Changing the tenant's configuration (workflows, versions, connections, mappings, policies, keys, users). */
export const tenantAdminProcedure = tenantRoleProcedure('tenant_admin');

/**
 * For the few procedures that name their tenant by a `slug` in the input instead of the header
 * (the tenant overview pages): the same membership and role check, on the tenant the input names.
 */
export function tenantBySlugInputProcedure(role: TenantRole) {
  return signedInProcedure.use(async ({ ctx, path, getRawInput, next }) => {
    const raw = await getRawInput();
    const slug = typeof raw === 'object' && raw !== null && typeof (raw as { slug?: unknown }).slug === 'string' ? (raw as { slug: string }).slug : null;
    const member = await resolveMembership({ ...ctx, tenantSlug: slug });
    requireRole(role, member.role, path);
    return withTenant(member.tenant.id, () => next({ ctx: { ...ctx, tenantSlug: slug, ...member } }));
  });
}
