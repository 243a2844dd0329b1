import type { Metadata } from 'next';
import { StatusOutPage } from '@/features/status-out/status-out-page';

export const metadata: Metadata = { title: 'Status webhooks' };

export default function Page() {
  return <StatusOutPage />;
}
