import type { Metadata } from 'next';
import { OnboardingHome } from '@/features/onboarding/onboarding-home';

export const metadata: Metadata = { title: 'Onboarding' };

export default function OnboardingPage() {
  return <OnboardingHome />;
}
