import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/app-shell';
import { Providers } from '@/lib/providers';
import { parseTenantSlug, TENANT_COOKIE } from '@/lib/tenant-cookie';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Switchyard', template: '%s · Switchyard' },
  description: 'Tenant-aware integration workflows',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read the remembered tenant on the server so the first render already uses it (no flash of tenant A).
  const initialTenant = parseTenantSlug((await cookies()).get(TENANT_COOKIE)?.value);
  return (
    <html lang="en">
      <body>
        <Providers initialTenant={initialTenant}>
          <AppShell>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
