'use client';
import { usePathname } from 'next/navigation';
import { createContext, use, useEffect, type ReactNode } from 'react';
import type { TenantRole } from '@switchyard/api';
import { useTenant } from './tenant';

/** The signed-in person, as the root layout read it from the session on the server. */
export interface Viewer {
  email: string;
  name: string;
  platformAdmin: boolean;
}

const SessionContext = createContext<Viewer | null>(null);

export function SessionProvider({ viewer, children }: { viewer: Viewer | null; children: ReactNode }) {
  return <SessionContext value={viewer}>{children}</SessionContext>;
}

export function useViewer(): Viewer | null {
  return use(SessionContext);
}

const RANK: Record<TenantRole, number> = { viewer: 0, operator: 1, tenant_admin: 2 };

/**
 * Whether the signed-in user has at least `role` in the selected tenant. Only hides what the server
 * would refuse anyway: every procedure checks the role itself.
 */
export function useCan(role: TenantRole): boolean {
  const tenant = useTenant();
  const have = tenant.tenant?.role;
  return have !== undefined && RANK[have] >= RANK[role];
}

export async function signOut(): Promise<void> {
  await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  window.location.assign('/sign-in');
}

/**
 * Signed out (or a session that expired while the cookie stayed): only the sign-in page may render;
 * any other page goes there and comes back after signing in.
 */
export function SignedOutGate({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const onSignIn = pathname === '/sign-in';
  useEffect(() => {
    if (!onSignIn) window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }, [onSignIn]);
  return onSignIn ? children : <div className="empty">Signing in again…</div>;
}
