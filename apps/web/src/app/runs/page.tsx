import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunsList } from '@/features/runs/runs-list';

export const metadata: Metadata = { title: 'Runs' };

export default function RunsPage() {
  // useSearchParams needs a Suspense boundary above it.
  return (
    <Suspense fallback={<div className="empty">Loading…</div>}>
      <RunsList />
    </Suspense>
  );
}
