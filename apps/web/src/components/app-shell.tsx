'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { ROLE_LABELS } from '@/lib/roles';
import { signOut, useCan, useViewer } from '@/lib/session';
import { useTenant } from '@/lib/tenant';
import styles from './app-shell.module.css';

/** `show`: who sees the link (only a convenience: the server refuses the rest anyway). */
const NAV = [
  { href: '/workflows', label: 'Workflows', testId: 'nav-workflows', show: 'member' },
  { href: '/runs', label: 'Runs', testId: 'nav-runs', show: 'member' },
  { href: '/onboarding', label: 'Onboarding', testId: 'nav-onboarding', show: 'platform' },
  { href: '/dead-letters', label: 'Dead letters', testId: 'nav-dead-letters', show: 'member' },
  { href: '/status-out', label: 'Status webhooks', testId: 'nav-status-out', show: 'member' },
  { href: '/dashboards', label: 'Dashboards', testId: 'nav-dashboards', show: 'member' },
  { href: '/api-keys', label: 'API keys', testId: 'nav-api-keys', show: 'tenant_admin' },
  { href: '/audit', label: 'Audit log', testId: 'nav-audit', show: 'member' },
  { href: '/users', label: 'Users', testId: 'nav-users', show: 'tenant_admin' },
] as const;

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const tenant = useTenant();
  const viewer = useViewer();
  const isTenantAdmin = useCan('tenant_admin');
  const visible = NAV.filter((item) => item.show === 'member' || (item.show === 'platform' ? viewer?.platformAdmin === true : isTenantAdmin));

  return (
    <div className={styles.shell}>
      <nav className={styles.nav} aria-label="Main">
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden>
            ⇄
          </span>
          Switchyard
        </div>
        <label className={styles.tenant}>
          <span className={styles.tenantLabel}>Tenant</span>
          <select
            className="select"
            data-testid="tenant-switcher"
            value={tenant.slug ?? ''}
            disabled={tenant.tenants.length === 0}
            onChange={(e) => tenant.select(e.target.value)}
          >
            {tenant.tenants.length === 0 && <option value="">{tenant.status === 'loading' ? 'Loading…' : 'No tenants'}</option>}
            {tenant.tenants.map((t) => (
              <option key={t.id} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <ul className={styles.links}>
          {visible.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  className={active ? `${styles.link} ${styles.active}` : styles.link}
                  aria-current={active ? 'page' : undefined}
                  data-testid={item.testId}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
        {viewer && (
          <div className={styles.account} data-testid="signed-in-user">
            <div className={styles.accountName} title={viewer.email}>
              {viewer.name}
            </div>
            <div className={styles.accountMeta}>
              <span data-testid="signed-in-email">{viewer.email}</span>
              <span data-testid="signed-in-role">{viewer.platformAdmin ? 'Platform admin' : tenant.tenant ? ROLE_LABELS[tenant.tenant.role] : ''}</span>
            </div>
            <button type="button" className={`btn btn-sm ${styles.signOut}`} data-testid="sign-out" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </nav>
      <main className={styles.main}>
        <TenantGate>{children}</TenantGate>
      </main>
    </div>
  );
}

/** Tenant-scoped pages render only once a tenant is selected, and remount when it changes. */
function TenantGate({ children }: { children: ReactNode }) {
  const tenant = useTenant();
  if (tenant.status === 'loading') return <div className="empty">Loading…</div>;
  if (tenant.status === 'error')
    return (
      <div className="page">
        <div className="banner banner-error">Could not load tenants: {tenant.error}</div>
      </div>
    );
  if (tenant.status === 'empty')
    return (
      <div className="page">
        <div className="banner banner-info">
          There are no tenants yet. Start the product with <code>pnpm start</code> to seed the demo, or insert a tenant row.
        </div>
      </div>
    );
  return (
    <div key={tenant.slug} className={styles.content}>
      {children}
    </div>
  );
}
