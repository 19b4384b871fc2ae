/**
 * Which of a test's repeated cases (the self-checks' seeds, the peer sets the tarball resolves
 * beside) this run takes. Every case on every run cost a single `npm test` well over a minute of
 * both cores; instead each run takes one share, and .ci/run gives each Node line a different
 * share, so CI still proves every case. `SESSION_CONFORMANCE_TEST_SHARE=k/n` takes the cases whose
 * index is k modulo n (the default is 0/3); `all` takes every case.
 */
export function shareOf<T>(cases: readonly T[], share = process.env.SESSION_CONFORMANCE_TEST_SHARE ?? '0/3'): T[] {
  if (share === 'all') return [...cases];
  const match = /^(\d+)\/([1-9]\d*)$/.exec(share);
  if (!match || Number(match[1]) >= Number(match[2])) {
    throw new Error(`SESSION_CONFORMANCE_TEST_SHARE must be "all" or k/n with 0 <= k < n (like 1/3), not ${JSON.stringify(share)}`);
  }
  const [k, n] = [Number(match[1]), Number(match[2])];
  return cases.filter((_, index) => index % n === k);
}
