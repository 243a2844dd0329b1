import type { TenantRole } from '@switchyard/api';

/** Display names of the tenant roles (the browser cannot import @switchyard/api's code, only its types). */
export const ROLE_LABELS: Record<TenantRole, string> = { viewer: 'Viewer', operator: 'Operator', tenant_admin: 'Tenant admin' };
export const ROLE_OPTIONS: TenantRole[] = ['viewer', 'operator', 'tenant_admin'];
