'use client';
import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { useRef, useState, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@switchyard/api';
import { makeQueryClient } from './query-client';
import { TENANT_HEADER } from './tenant-cookie';
import { TenantProvider } from './tenant';
import { TRPCProvider } from './trpc';
import { SessionProvider, type Viewer } from './session';
import { ToastProvider } from '@/components/toast';

export function Providers({ initialTenant, viewer, children }: { initialTenant: string | null; viewer: Viewer | null; children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  // The link reads the tenant at request time, so switching tenants needs no new client.
  const tenantRef = useRef<string | null>(initialTenant);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: '/api/trpc',
          transformer: superjson,
          headers: () => (tenantRef.current ? { [TENANT_HEADER]: tenantRef.current } : {}),
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ToastProvider>
          <SessionProvider viewer={viewer}>
            {viewer ? (
              <TenantProvider tenantRef={tenantRef} initialTenant={initialTenant}>
                {children}
              </TenantProvider>
            ) : (
              children
            )}
          </SessionProvider>
        </ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
