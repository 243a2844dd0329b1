import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditPage } from '@/features/audit/audit-page';

export const metadata: Metadata = { title: 'Audit log' };

export default function Page() {
  // useSearchParams (the filters live in the URL) needs a Suspense boundary above it.
  return (
    <Suspense fallback={<div className="empty">Loading…</div>}>
      <AuditPage />
    </Suspense>
  );
}
