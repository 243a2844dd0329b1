import type pg from 'pg';
import { inTransaction, recordAudit, recordAuditSql, type AuditInput, type Prisma } from '@switchyard/db';
import type { TenantContext } from '../trpc';
import { actorOf } from './actor';

/** What a change tells the audit log; the tenant and the actor come from the context. */
export type AuditChange = Omit<AuditInput, 'tenantId' | 'actor'>;

/** A change's result, and its audit entry, or null when nothing changed (then nothing is logged). */
export interface Audited<T> {
  result: T;
  audit: AuditChange | null;
}

function entry(ctx: TenantContext, change: AuditChange): AuditInput {
  return { ...change, tenantId: ctx.tenant.id, actor: actorOf(ctx) };
}

/**
 * Runs a configuration change through Prisma and writes its audit entry in the SAME transaction: a
 * change that commits always has its entry, and an entry never describes a change that rolled back.
 */
export async function auditedPrisma<T>(ctx: TenantContext, work: (tx: Prisma.TransactionClient) => Promise<Audited<T>>): Promise<T> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const { result, audit } = await work(tx);
    if (audit) await recordAudit(tx, entry(ctx, audit));
    return result;
  });
}

/** The same for repositories written in SQL: one pooled connection, BEGIN … COMMIT around both. */
export async function auditedSql<T>(ctx: TenantContext, work: (client: pg.PoolClient) => Promise<Audited<T>>): Promise<T> {
  return inTransaction(ctx.db.pool, async (client) => {
    const { result, audit } = await work(client);
    if (audit) await recordAuditSql(client, entry(ctx, audit));
    return result;
  });
}

/** The audit hook for repositories that open their own transaction and call back inside it. */
export function auditInside(ctx: TenantContext, change: AuditChange) {
  return (tx: Prisma.TransactionClient) => recordAudit(tx, entry(ctx, change));
}
