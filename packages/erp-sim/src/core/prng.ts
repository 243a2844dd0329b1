/** FNV-1a: a stable 32-bit hash so string seeds and account names give repeatable streams. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32: tiny, fast and good enough for fault decisions. Math.random cannot be seeded, and tests
 * must be able to replay the exact same sequence of injected faults.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample from two uniforms (Box–Muller); u1 is kept away from 0 to avoid log(0). */
export function standardNormal(u1: number, u2: number): number {
  const safe = Math.max(u1, Number.EPSILON);
  return Math.sqrt(-2 * Math.log(safe)) * Math.cos(2 * Math.PI * u2);
}
