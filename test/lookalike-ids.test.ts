/**
 * Each family of look-alike ids sets the trap it is named after: some of its pairs are merged by
 * the key mapping a real store has shipped. A family that no mapping merges would be a generator
 * that cannot fail a store.
 */
import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasingIdPairs, lookalikeIds } from '../suite/arbitraries.js';

/** A router that URL-decodes what it is given, as often as it is given it. */
function decodeUntilStable(id: string): string {
  for (;;) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(id);
    } catch {
      return id;
    }
    if (decoded === id) return id;
    id = decoded;
  }
}

const mergedBy: Record<string, (id: string) => string> = {
  punctuationSwapPairs: (id) => id.replace(/[^A-Za-z0-9]/g, '_'),
  // Node's base64 decoder reads both alphabets, so a store keying on the decoded bytes merges them.
  base64AlphabetPairs: (id) => Buffer.from(id, 'base64').toString('hex'),
  percentEncodingPairs: decodeUntilStable,
  pathLikePairs: (id) => posix.join('/sessions', id),
  controlCharacterPairs: (id) => id.split('\u0000', 1)[0]!.split(/\r?\n/, 1)[0]!.trim(),
};

describe('look-alike id families', () => {
  it.each(Object.entries(mergedBy))('%s holds distinct pairs that a real key mapping merges', (trap, key) => {
    const pairs = fc.sample(aliasingIdPairs[trap]!, { numRuns: 200, seed: 1 });
    for (const [a, b] of pairs) expect(a).not.toBe(b);
    expect(pairs.filter(([a, b]) => key(a) === key(b)).length).toBeGreaterThan(0);
  });

  it('reach every clause that generates ids, as single ids too', () => {
    const ids = new Set(fc.sample(lookalikeIds, { numRuns: 500, seed: 1 }));
    for (const id of ['..', 'a/../b', 'con', 'nul']) expect(ids).toContain(id);
    expect([...ids].some((id) => id.includes('\u0000'))).toBe(true);
  });
});
