/**
 * Node and edge ids are chosen once, when the element is created, and never change (labels are
 * display text). They must satisfy IdSchema: at most 64 of `[A-Za-z0-9_-]`.
 */

const MAX_PREFIX = 40;
const MAX_ATTEMPTS = 100;

function randomSuffix(): string {
  // Web Crypto exists in browsers and Node ≥ 19 alike; 48 random bits make a clash within one graph negligible.
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Makes any text (a kind such as `trigger.webhook`) usable as an id prefix: `trigger-webhook`. */
export function idPrefix(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_PREFIX);
  return cleaned === '' ? 'id' : cleaned;
}

/**
 * A fresh id such as `transform_3f9a0c12b7e4`. Pass `isTaken` to rule out ids already in the graph;
 * the randomness makes a retry rare, and the bound keeps a broken predicate from spinning forever.
 */
export function newId(prefix: string, isTaken?: (id: string) => boolean): string {
  const clean = idPrefix(prefix);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const id = `${clean}_${randomSuffix()}`;
    if (!isTaken?.(id)) return id;
  }
  throw new Error(`newId: no free id with prefix ${JSON.stringify(clean)} after ${MAX_ATTEMPTS} attempts`);
}
