/**
 * Parsing the replay editor's text. JSON.parse's own messages differ between engines and rarely
 * say where; this one names the line and column so a person can find the stray comma.
 */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; message: string };

export function checkJson(text: string): JsonCheck {
  if (text.trim() === '') return { ok: false, message: 'Input is empty: enter a JSON value (an object such as {"number": "INV-1"}, or null).' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(raw)?.[1];
    if (position === undefined) return { ok: false, message: `Invalid JSON: ${raw}` };
    const offset = Number(position);
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    return { ok: false, message: `Invalid JSON at line ${line}, column ${column}: ${raw.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}` };
  }
}

/** Pretty JSON for the editor; `undefined` (a node that recorded no input) becomes `null`. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}
