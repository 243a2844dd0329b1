import type { Metadata } from 'next';
import { DesignerPage } from '@/features/designer/designer-page';

export const metadata: Metadata = { title: 'Designer' };

export default async function WorkflowDesignerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DesignerPage id={id} />;
}
