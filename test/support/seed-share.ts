/**
 * Which of a self-check's seeds this run takes. Every seed on every run cost a single `npm test`
 * about a minute of both cores; instead each run takes one share, and .ci/run gives each Node line
 * a different share, so CI still proves every seed. `SESSION_CONFORMANCE_SEED_SHARE=k/n` takes the
 * seeds whose index is k modulo n (the default is 0/3); `all` takes every seed.
 */
export function seedShare(seeds: readonly number[], share = process.env.SESSION_CONFORMANCE_SEED_SHARE ?? '0/3'): number[] {
  if (share === 'all') return [...seeds];
  const match = /^(\d+)\/([1-9]\d*)$/.exec(share);
  if (!match || Number(match[1]) >= Number(match[2])) {
    throw new Error(`SESSION_CONFORMANCE_SEED_SHARE must be "all" or k/n with 0 <= k < n (like 1/3), not ${JSON.stringify(share)}`);
  }
  const [k, n] = [Number(match[1]), Number(match[2])];
  return seeds.filter((_, index) => index % n === k);
}
