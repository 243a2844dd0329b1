import type { EstateError } from './model';
import type { Change, FieldChange, Plan } from './plan';

// Human output of plan and apply. Long values are shortened: the files are where to read them whole.

const MAX_VALUE = 120;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function field(f: FieldChange): string {
  if (f.secret) return `    ~ ${f.path}: secret ${f.after !== undefined ? `changes (from ${Array.isArray(f.after) ? f.after.join(', ') : String(f.after)})` : 'removed'}`;
  if (f.before === undefined) return `    + ${f.path}: ${show(f.after)}`;
  if (f.after === undefined) return `    - ${f.path}: ${show(f.before)}`;
  return `    ~ ${f.path}: ${show(f.before)} → ${show(f.after)}`;
}

const SIGN: Record<Change['action'], string> = { create: '+', update: '~', delete: '-' };

export function formatPlan(plan: Plan, options: { prune?: boolean } = {}): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(`${SIGN[c.action]} ${c.action} ${c.id}${c.file === '(database)' ? '' : `  (${c.file})`}`);
    // A created object's fields are its whole file; list them only for updates, where they are the news.
    if (c.action === 'update') lines.push(...c.fields.map(field));
  }
  if (!options.prune && plan.unmanagedTenants.length > 0) {
    lines.push(`  tenants in the database but not in the files are left alone (--prune deletes them): ${plan.unmanagedTenants.join(', ')}`);
  }
  const count = (a: Change['action']) => plan.changes.filter((c) => c.action === a).length;
  lines.push(plan.changes.length === 0 ? 'No changes: the database matches the files.' : `Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete.`);
  return lines.join('\n');
}

export function formatErrors(errors: EstateError[]): string {
  return [
    `The estate is invalid; nothing was changed. ${errors.length} error${errors.length === 1 ? '' : 's'}:`,
    ...errors.map((e) => `  ${e.file}${e.path ? ` at ${e.path}` : ''}: ${e.message}`),
  ].join('\n');
}
