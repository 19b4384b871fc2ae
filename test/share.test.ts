/** The share of repeated test cases a run takes: every case in some share, none in two. */
import { describe, expect, it } from 'vitest';
import { shareOf } from './support/share.js';

describe('shareOf', () => {
  const cases = [1, 2, 3, 4, 5, 6, 7, 8];

  it('splits the cases into n shares that together hold each exactly once', () => {
    const shares = [0, 1, 2].map((k) => shareOf(cases, `${k}/3`));
    expect(shares).toEqual([[1, 4, 7], [2, 5, 8], [3, 6]]);
    expect(shares.flat().sort()).toEqual(cases);
  });

  it('takes every case for "all"', () => {
    expect(shareOf(cases, 'all')).toEqual(cases);
  });

  it.each(['3/3', '1/0', 'half', ''])('refuses %j, naming the variable', (share) => {
    expect(() => shareOf(cases, share)).toThrow(/^SESSION_CONFORMANCE_TEST_SHARE must be "all" or k\/n/);
  });
});
