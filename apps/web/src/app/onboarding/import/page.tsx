import type { Metadata } from 'next';
import { ImportTenants } from '@/features/onboarding/import-tenants';

export const metadata: Metadata = { title: 'Import tenants' };

export default function ImportTenantsPage() {
  return <ImportTenants />;
}
