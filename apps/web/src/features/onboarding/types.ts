import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';

type Out = inferRouterOutputs<AppRouter>['onboarding'];
export type Catalog = Out['catalog'];
export type DraftView = Out['get'];
export type Issue = { field: string; message: string };
export type SaveResult = Out['saveProfile'];
export type ReferenceView = Out['referenceData'];
export type PolicyRow = Out['policies'][number];
export type GoLiveResult = Out['goLive'];
export type Overview = Out['overview'];
export type AppliedEdit = Extract<Out['applyEdit'], { ok: true }>;
export type ImportReport = Out['importTenants'];

export const STEPS = [
  { id: 'profile', label: 'Profile' },
  { id: 'systems', label: 'Systems' },
  { id: 'mappings', label: 'Mappings' },
  { id: 'policies', label: 'Policies' },
  { id: 'workflows', label: 'Workflows' },
  { id: 'review', label: 'Review & go live' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** Issues whose field is `prefix` or under it (`connections.erp` matches `connections.erp.credentials.tokenId`). */
export function issuesAt(issues: Issue[], prefix: string): string[] {
  return issues.filter((i) => i.field === prefix || i.field.startsWith(`${prefix}.`)).map((i) => i.message);
}

export const ERP_LOGOS: Record<string, string> = { netsuite: 'NS', 'business-central': 'BC', sap: 'S/4', workday: 'WD', 'oracle-fusion': 'FA' };
