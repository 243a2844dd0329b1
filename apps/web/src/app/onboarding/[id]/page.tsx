import type { Metadata } from 'next';
import { Wizard } from '@/features/onboarding/wizard';

export const metadata: Metadata = { title: 'Onboard a tenant' };

export default async function OnboardingWizardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Wizard id={id} />;
}
