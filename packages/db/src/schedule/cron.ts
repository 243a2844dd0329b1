import { CronExpressionParser } from 'cron-parser';

/**
 * Cron slots in a time zone, with cron-parser (5 fields, or 6 with seconds first). Slots are
 * computed in the schedule's IANA zone, so `0 9 * * 1-5` in Europe/Berlin is 09:00 Berlin time on
 * both sides of a DST change.
 */

export type CronCheck = { ok: true } | { ok: false; field: 'cron' | 'timeZone'; message: string };

const MAX_CRON_LENGTH = 200;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Validates an expression and zone the way a form shows it: which field, and what is wrong. */
export function checkCron(cron: unknown, timeZone: unknown): CronCheck {
  if (typeof cron !== 'string' || cron.trim() === '') return { ok: false, field: 'cron', message: 'must be a cron expression such as "0 9 * * 1-5"' };
  if (cron.length > MAX_CRON_LENGTH) return { ok: false, field: 'cron', message: `must be at most ${MAX_CRON_LENGTH} characters` };
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && (fields < 5 || fields > 6)) {
    return { ok: false, field: 'cron', message: `must have 5 fields (minute hour day month weekday) or 6 with seconds first, got ${fields}` };
  }
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) {
    return { ok: false, field: 'timeZone', message: `must be an IANA time zone such as "Europe/Berlin" (got ${JSON.stringify(timeZone)})` };
  }
  try {
    const expression = CronExpressionParser.parse(cron, { tz: timeZone, strict: false });
    // Some expressions parse but never fire (e.g. 30 February).
    if (!expression.hasNext()) return { ok: false, field: 'cron', message: 'never fires' };
    expression.next();
  } catch (err) {
    return { ok: false, field: 'cron', message: `is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ok: true };
}

/** The first slot strictly after `after`. Throws on an invalid expression (check it first). */
export function nextSlot(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: after }).next().toDate();
}

/** The next `count` slots after `after`, for previews in the UI. */
export function upcomingSlots(cron: string, timeZone: string, after: Date, count: number): Date[] {
  const expression = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: after });
  const slots: Date[] = [];
  for (let i = 0; i < count && expression.hasNext(); i++) slots.push(expression.next().toDate());
  return slots;
}
