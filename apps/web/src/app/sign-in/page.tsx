import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServerDatabase, sessionUserOf } from '@switchyard/api';
import { SignInForm } from '@/features/users/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only a local path is followed after sign-in (never another site: no open redirect).
  const target = typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/workflows';
  if (await sessionUserOf(await getServerDatabase(), await headers())) redirect(target);
  return <SignInForm next={target} />;
}
