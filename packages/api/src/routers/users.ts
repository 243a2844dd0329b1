import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { asPlatform } from '@switchyard/db';
import { TENANT_ROLES, type TenantRole } from '../auth/roles';
import { createPasswordUser, generatePassword, setUserPassword, UserExistsError } from '../auth/users';
import { auditedPrisma } from '../security/audited';
import { platformAdminProcedure, signedInProcedure, tenantAdminProcedure } from '../trpc';

const roleInput = z.enum(TENANT_ROLES, { error: `must be one of ${TENANT_ROLES.join(', ')}` });
const userId = z.guid('must be a user id');

const inviteInput = z.object({
  email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  role: roleInput,
});

const memberSelect = { role: true, createdAt: true, user: { select: { id: true, email: true, name: true, platformAdmin: true } } } as const;

function memberView(row: { role: TenantRole; createdAt: Date; user: { id: string; email: string; name: string; platformAdmin: boolean } }) {
  return { userId: row.user.id, email: row.user.email, name: row.user.name, platformAdmin: row.user.platformAdmin, role: row.role, since: row.createdAt };
}

export const usersRouter = {
  /** Who is signed in, and their role in each tenant they can open. */
  me: signedInProcedure.query(async ({ ctx }) => {
    // The user's memberships span tenants: read in the narrow 'sign-in' platform scope (RLS).
    const memberships = await asPlatform('sign-in', () =>
      ctx.db.prisma.membership.findMany({
        where: { userId: ctx.user.id },
        select: { role: true, tenant: { select: { slug: true, name: true } } },
        orderBy: { tenant: { name: 'asc' } },
      }),
    );
    return { ...ctx.user, memberships: memberships.map((m) => ({ slug: m.tenant.slug, name: m.tenant.name, role: m.role })) };
  }),

  /** The members of the selected tenant. */
  members: tenantAdminProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.membership.findMany({ where: { tenantId: ctx.tenant.id }, select: memberSelect, orderBy: { user: { email: 'asc' } } });
    return rows.map(memberView);
  }),

  /**
   * Adds a person to the tenant with a role. A new email becomes a user with a generated password,
   * returned this once for the admin to hand over; an existing user just gains the membership.
   */
  invite: tenantAdminProcedure.input(inviteInput).mutation(async ({ ctx, input }) => {
    const email = input.email.trim().toLowerCase();
    let password: string | null = null;
    let user = await ctx.db.prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) {
      password = generatePassword();
      try {
        user = { id: (await createPasswordUser(ctx.db, { email, name: input.name, password })).id };
      } catch (error) {
        if (!(error instanceof UserExistsError)) throw error;
        user = await ctx.db.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
        password = null;
      }
    }
    const existingUser = user;
    return auditedPrisma(ctx, async (tx) => {
      const existing = await tx.membership.findUnique({ where: { userId_tenantId: { userId: existingUser.id, tenantId: ctx.tenant.id } }, select: { role: true } });
      if (existing) throw new TRPCError({ code: 'CONFLICT', message: `${email} is already a member of this tenant (role ${existing.role}); change the role instead` });
      const row = await tx.membership.create({ data: { userId: existingUser.id, tenantId: ctx.tenant.id, role: input.role }, select: memberSelect });
      return {
        result: { member: memberView(row), password },
        audit: { action: 'membership.create', entityType: 'membership', entityId: existingUser.id, after: { email, role: input.role, newUser: password !== null } },
      };
    });
  }),

  setRole: tenantAdminProcedure.input(z.object({ userId, role: roleInput })).mutation(async ({ ctx, input }) => {
    if (input.userId === ctx.user.id) throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot change your own role; ask another admin' });
    return auditedPrisma(ctx, async (tx) => {
      const where = { userId_tenantId: { userId: input.userId, tenantId: ctx.tenant.id } };
      const before = await tx.membership.findUnique({ where, select: memberSelect });
      if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such member in this tenant' });
      const after = await tx.membership.update({ where, data: { role: input.role, updatedAt: new Date() }, select: memberSelect });
      return {
        result: memberView(after),
        audit: before.role === after.role ? null : { action: 'membership.update', entityType: 'membership', entityId: input.userId, before: { email: before.user.email, role: before.role }, after: { email: after.user.email, role: after.role } },
      };
    });
  }),

  remove: tenantAdminProcedure.input(z.object({ userId })).mutation(async ({ ctx, input }) => {
    if (input.userId === ctx.user.id) throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot remove yourself from the tenant; ask another admin' });
    return auditedPrisma(ctx, async (tx) => {
      const where = { userId_tenantId: { userId: input.userId, tenantId: ctx.tenant.id } };
      const before = await tx.membership.findUnique({ where, select: memberSelect });
      if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such member in this tenant' });
      await tx.membership.delete({ where });
      return { result: { removed: true }, audit: { action: 'membership.delete', entityType: 'membership', entityId: input.userId, before: { email: before.user.email, role: before.role } } };
    });
  }),

  /**
   * Sets a new generated password (returned once) and ends the user's sessions. Platform admins only:
   * a user may belong to several tenants, so no single tenant's admin owns their credential.
   */
  resetPassword: platformAdminProcedure.input(z.object({ userId })).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.prisma.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true } });
    if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such user' });
    const password = generatePassword();
    await setUserPassword(ctx.db, user.id, password);
    return { email: user.email, password };
  }),
};
