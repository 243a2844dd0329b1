import type { GraphIssue } from '@switchyard/workflow';

/**
 * tRPC errors carry structured data from the API's error formatter: `graphIssues` for invalid graphs
 * and `fieldErrors` for invalid input. Read them structurally so any thrown value is handled.
 */
interface ErrorData {
  code?: string;
  httpStatus?: number;
  graphIssues?: GraphIssue[] | null;
  fieldErrors?: Record<string, string[] | undefined> | null;
}

function dataOf(error: unknown): ErrorData {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: unknown }).data;
    if (data && typeof data === 'object') return data as ErrorData;
  }
  return {};
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Something went wrong';
}

export function errorCode(error: unknown): string | undefined {
  return dataOf(error).code;
}

export function graphIssuesOf(error: unknown): GraphIssue[] {
  const issues = dataOf(error).graphIssues;
  return Array.isArray(issues) ? issues : [];
}

export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const fields = dataOf(error).fieldErrors;
  const out: Record<string, string[]> = {};
  if (!fields || typeof fields !== 'object') return out;
  for (const [key, messages] of Object.entries(fields)) if (Array.isArray(messages) && messages.length > 0) out[key] = messages;
  return out;
}

/**
 * The API words field errors as phrases after the field name ("must not be empty") or, for
 * conflicts, as whole sentences ("a workflow named … already exists"): make either read well.
 */
export function fieldMessage(label: string, messages: readonly string[]): string {
  return messages
    .map((m) => (/^(must|may|is|should|cannot|can't)\b/.test(m) ? `${label} ${m}` : m.charAt(0).toUpperCase() + m.slice(1)))
    .join('; ');
}
