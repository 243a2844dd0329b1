import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { platformAdminProcedure } from '../../trpc';
import { keyringFor } from '../connections/platform';
import { draftId, loadDraft } from './draft';
import { importTenants, importInput } from './import';
import { applyTenantEdit, startTenantEdit } from './tenant-edit';

const slugInput = z.object({ slug: z.string().min(1).max(60) });
const withDraft = z.object({ id: draftId });

/**
 * Later edits of a live tenant through the wizard's steps (an edit draft, see tenant-edit.ts), and
 * importing tenants from a file through the wizard's validation (import.ts).
 * Platform admins only, like the wizard itself: edits go through its draft procedures.
 */
export const tenantEditProcedures = {
  /** Opens an edit draft holding the tenant's systems, lookup tables and workflows; the wizard's step forms edit it. */
  startEdit: platformAdminProcedure.input(slugInput).mutation(async ({ ctx, input }) => {
    const started = await startTenantEdit(ctx, input.slug);
    if (!started) throw new TRPCError({ code: 'NOT_FOUND', message: `There is no tenant "${input.slug}"` });
    return started;
  }),

  /** Writes the edit draft to its tenant in one transaction, or names the step and fields to fix. */
  applyEdit: platformAdminProcedure.input(withDraft).mutation(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    if (!draft.editsTenantId) throw new TRPCError({ code: 'BAD_REQUEST', message: 'This draft onboards a new tenant; go live from its review step.' });
    return applyTenantEdit(ctx, draft);
  }),

  /** Cancelling an edit: the draft (and its copy of the credentials) is removed; the tenant is unchanged. */
  discardEdit: platformAdminProcedure.input(withDraft).mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.onboardingDraft.deleteMany({ where: { id: input.id, editsTenantId: { not: null } } });
    return { id: input.id, discarded: true as const };
  }),

  /** Tenants from a CSV or JSON file, each judged like the wizard's steps and created all-or-nothing; `dryRun` only reports. */
  importTenants: platformAdminProcedure.input(importInput).mutation(({ ctx, input }) => importTenants(ctx, input)),
};
