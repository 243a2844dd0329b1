import type { Metadata } from 'next';
import { TenantOverview } from '@/features/onboarding/tenant-overview';

export const metadata: Metadata = { title: 'Tenant overview' };

export default async function TenantOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <TenantOverview slug={slug} />;
}
