/**
 * Each family of look-alike ids sets the trap it is named after: some of its pairs are merged by
 * the key mapping a real store has shipped. A family that no mapping merges would be a generator
 * that cannot fail a store.
 */
import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasingIdPairs, leadingAliasingIdPairs, lookalikeIds } from '../suite/arbitraries.js';
import { checkConformance } from '../entry/index.js';
import { HookedStore } from './broken/base.js';

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
  whitespaceIds: (id) => id.replace(/\s+/g, ''),
  invisibleCharacterIds: (id) => id.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, ''),
  percentEscapeIds: decodeUntilStable,
  compatibilityFormIds: (id) => id.normalize('NFKC'),
  unicodeCaseFoldIds: (id) => id.toUpperCase().toLowerCase(),
  accentedLetterIds: (id) => id.normalize('NFD').replace(/\p{M}/gu, ''),
  leadingWhitespaceIds: (id) => id.trimStart(),
  leadingInvisibleCharacterIds: (id) => id.replace(/^[\u00ad\u200b-\u200d\u2060\ufeff]/, ''),
  leadingPercentEscapeIds: decodeUntilStable,
};

const allPairs = { ...aliasingIdPairs, ...leadingAliasingIdPairs };

describe('look-alike id families', () => {
  it.each(Object.entries(mergedBy))('%s holds distinct pairs that a real key mapping merges', (trap, key) => {
    const pairs = fc.sample(allPairs[trap]!, { numRuns: 200, seed: 1 });
    for (const [a, b] of pairs) expect(a).not.toBe(b);
    expect(pairs.filter(([a, b]) => key(a) === key(b)).length).toBeGreaterThan(0);
  });

  it.each(['leadingWhitespaceIds', 'leadingInvisibleCharacterIds'])('%s are merged by a mapping of the start only at the very start of an id, where RunScope.leadingId puts them', (trap) => {
    const key = mergedBy[trap]!;
    for (const [a, b] of fc.sample(leadingAliasingIdPairs[trap]!, { numRuns: 200, seed: 1 })) expect(key(`scc-1-${a}`)).not.toBe(key(`scc-1-${b}`));
  });

  it('reach every clause that generates ids, as single ids too', () => {
    const ids = new Set(fc.sample(lookalikeIds, { numRuns: 500, seed: 1 }));
    for (const id of ['..', 'a/../b', 'con', 'nul']) expect(ids).toContain(id);
    expect([...ids].some((id) => id.includes('\u0000'))).toBe(true);
  });
});

/** URL-decodes ids before they become keys, and declares ids of printable ASCII. */
class DecodingStore extends HookedStore {
  override key(id: string): string {
    return decodeUntilStable(id);
  }
}

describe('traps on a store that declares its ids', () => {
  it('a trap that fits the declared set is still set, at the start of the id too; one outside is listed as untried', async () => {
    const seen: string[] = [];
    const target = {
      name: 'decodes ids, printable ASCII declared',
      clock: 'injected' as const,
      ids: { alphabet: 'printable-ascii' as const },
      open: ({ clock }: { clock: ConstructorParameters<typeof HookedStore>[0] }) =>
        Object.assign(new DecodingStore(clock), { key: (id: string) => (seen.push(id), decodeUntilStable(id)) }),
    };
    const report = await checkConformance(target, { only: ['id-isolation'], seed: 3, numRuns: 20 });
    const [clause] = report.clauses;
    expect(clause?.status).toBe('fail');
    expect(clause?.counterexample).toMatch(/^(leadingPercentEscapeIds|percentEscapeIds|percentEncodingPairs): /);
    expect(clause?.findings?.trapsOutsideTheIds).toEqual(expect.arrayContaining(['whitespaceIds', 'leadingWhitespaceIds', 'leadingInvisibleCharacterIds', 'accentedLetterIds']));
    expect(clause?.findings?.trapsOutsideTheIds).not.toContain('leadingPercentEscapeIds');
    expect(seen.filter((id) => /[^!-~]/.test(id))).toEqual([]);
  });
});
