import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { getServerDatabase, sessionUserOf } from '@switchyard/api';
import { AppShell } from '@/components/app-shell';
import { Providers } from '@/lib/providers';
import { SignedOutGate } from '@/lib/session';
import { parseTenantSlug, TENANT_COOKIE } from '@/lib/tenant-cookie';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Switchyard', template: '%s · Switchyard' },
  description: 'Tenant-aware integration workflows',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read the remembered tenant on the server so the first render already uses it (no flash of tenant A).
  const initialTenant = parseTenantSlug((await cookies()).get(TENANT_COOKIE)?.value);
  // Signed out, only the sign-in page renders (the proxy sends every other page there), without the shell.
  const user = await sessionUserOf(await getServerDatabase(), await headers());
  const viewer = user ? { email: user.email, name: user.name, platformAdmin: user.platformAdmin } : null;
  return (
    <html lang="en">
      <body>
        <Providers initialTenant={initialTenant} viewer={viewer}>
          {viewer ? <AppShell>{children}</AppShell> : <SignedOutGate>{children}</SignedOutGate>}
        </Providers>
      </body>
    </html>
  );
}
