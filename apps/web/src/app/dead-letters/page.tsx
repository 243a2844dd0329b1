import type { Metadata } from 'next';
import { DeadLettersPage } from '@/features/dead-letters/dead-letters-page';

export const metadata: Metadata = { title: 'Dead letters' };

export default function Page() {
  return <DeadLettersPage />;
}
