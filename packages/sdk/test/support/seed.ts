/**
 * One seed per test run, for everything random the tests choose: fast-check's inputs and the
 * crash harness's kill points. vitest.config.ts picks it (or takes PROZVON_SEED, to replay a run)
 * and prints it; worker processes read it back from the environment.
 */
export function runSeed(): number {
  const text = process.env.PROZVON_SEED;
  if (text === undefined) throw new Error('PROZVON_SEED is not set: vitest.config.ts sets it for every run');
  return parseSeed(text);
}

export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new Error(`PROZVON_SEED must be an integer from 0 to ${0xffff_ffff}, got ${JSON.stringify(text)}`);
  }
  return seed;
}

/** mulberry32: a small seeded generator with Math.random's contract ([0, 1)). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
