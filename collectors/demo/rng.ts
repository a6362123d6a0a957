/** Seeded PRNG (mulberry32): demo traffic is varied but reproducible for a seed. */
export type Rng = { next: () => number; int: (min: number, max: number) => number; chance: (p: number) => boolean; pick: <T>(items: readonly T[]) => T; hex: (chars: number) => string };

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    hex: (chars) => Array.from({ length: chars }, () => Math.floor(next() * 16).toString(16)).join(""),
  };
}
