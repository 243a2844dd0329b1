'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode, type RefObject } from 'react';
import type { TenantRole } from '@switchyard/api';
import { recallTenant, rememberTenant } from './tenant-cookie';
import { useTRPC } from './trpc';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  /** The signed-in user's role in this tenant (platform admins are tenant admins everywhere). */
  role: TenantRole;
}

interface TenantState {
  /** The selected tenant's slug; null until the tenant list has loaded (or when there are none). */
  slug: string | null;
  tenant: TenantSummary | null;
  tenants: TenantSummary[];
  status: 'loading' | 'ready' | 'empty' | 'error';
  error: string | null;
  select: (slug: string) => void;
}

const TenantContext = createContext<TenantState | null>(null);

export function TenantProvider({
  tenantRef,
  initialTenant,
  children,
}: {
  tenantRef: RefObject<string | null>;
  initialTenant: string | null;
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const tenantsQuery = useQuery(trpc.tenants.list.queryOptions(undefined, { staleTime: 60_000 }));
  const [wanted, setWanted] = useState<string | null>(initialTenant);

  const tenants = useMemo<TenantSummary[]>(
    () => (tenantsQuery.data ?? []).map((t) => ({ id: t.id, slug: t.slug, name: t.name, role: t.role })),
    [tenantsQuery.data],
  );

  // The cookie may name a tenant that no longer exists: fall back to localStorage, then the first tenant.
  const resolved = useMemo(() => {
    if (tenants.length === 0) return null;
    const bySlug = (s: string | null) => (s ? tenants.find((t) => t.slug === s) : undefined);
    return bySlug(wanted) ?? bySlug(typeof window === 'undefined' ? null : recallTenant()) ?? tenants[0] ?? null;
  }, [tenants, wanted]);

  // Keep the request header in step before any tenant-scoped query of this render fires.
  tenantRef.current = resolved?.slug ?? null;

  useEffect(() => {
    if (resolved) rememberTenant(resolved.slug);
  }, [resolved]);

  const select = useCallback(
    (slug: string) => {
      if (slug === tenantRef.current) return;
      tenantRef.current = slug;
      setWanted(slug);
      rememberTenant(slug);
      // Cached data belongs to the previous tenant: drop all of it except the tenant list itself.
      queryClient.removeQueries({ predicate: (q) => !JSON.stringify(q.queryKey).includes('"tenants"') });
      // Detail pages show another tenant's objects; go back to the section's list.
      const section = pathname.split('/')[1];
      if (section === 'workflows' || section === 'runs') router.push(`/${section}`);
    },
    [pathname, queryClient, router, tenantRef],
  );

  const status: TenantState['status'] = tenantsQuery.isError
    ? 'error'
    : tenantsQuery.isPending
      ? 'loading'
      : resolved
        ? 'ready'
        : 'empty';

  const value = useMemo<TenantState>(
    () => ({
      slug: resolved?.slug ?? null,
      tenant: resolved,
      tenants,
      status,
      error: tenantsQuery.error?.message ?? null,
      select,
    }),
    [resolved, tenants, status, tenantsQuery.error, select],
  );
  return <TenantContext value={value}>{children}</TenantContext>;
}

export function useTenant(): TenantState {
  const ctx = use(TenantContext);
  if (!ctx) throw new Error('useTenant must be used inside <TenantProvider>');
  return ctx;
}
