/**
 * Roles: a platform admin may do everything in every tenant; inside a tenant a member is a viewer
 * (reads), an operator (also runs, replays, cancels and handles dead letters) or a tenant admin
 * (also changes configuration and manages the tenant's users). The order is the rank.
 */
export const TENANT_ROLES = ['viewer', 'operator', 'tenant_admin'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

const RANK: Record<TenantRole, number> = { viewer: 0, operator: 1, tenant_admin: 2 };

export function roleAtLeast(role: TenantRole, minimum: TenantRole): boolean {
  return RANK[role] >= RANK[minimum];
}

export const ROLE_LABELS: Record<TenantRole, string> = { viewer: 'Viewer', operator: 'Operator', tenant_admin: 'Tenant admin' };

/** The signed-in person as procedures see it (never the password hash or session token). */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  platformAdmin: boolean;
}
