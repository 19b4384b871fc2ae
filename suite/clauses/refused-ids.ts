import fc from 'fast-check';
import { sessionIds } from '../arbitraries.js';
import type { Clause, ClauseContext } from '../clause.js';
import { describeThrown } from '../describe-value.js';
import { CHARACTER_CLASSES, LONGEST_PROBE, probe } from '../id-refusals.js';
import { DECLARED_PREFIX_LENGTH, type IdSet } from '../ids.js';
import { violated } from '../property.js';
import { NAMES } from './bad-input.js';

/** Characters outside one declarable alphabet or another: separators, URL syntax, case. */
const PUNCTUATION = ['.', '/', '+', '=', '%', ':', '~', 'A', 'Z', 'g', '-', '_'];

/** Ids outside a declared set, each with the lookalike inside it that a store must not touch: [name, lookalike]. */
function outsideTheSet(set: IdSet, seed: number): [string, string][] {
  const room = (set.declaration.maxLength ?? Infinity) - DECLARED_PREFIX_LENGTH;
  const candidates: [string, string][] = [
    ...[...CHARACTER_CLASSES.flatMap((c) => c.probes), ...PUNCTUATION].map((c): [string, string] => [`a${c}b`, 'ab']),
    ...fc.sample(sessionIds, { numRuns: 20, seed }).map((name): [string, string] => [name, 'ab']),
  ];
  if (Number.isFinite(room)) candidates.push(['a'.repeat(room + 1), 'a'.repeat(room)], ['a'.repeat(LONGEST_PROBE), 'a'.repeat(room)]);
  return candidates.filter(([name]) => set.explain('0'.repeat(DECLARED_PREFIX_LENGTH) + name) !== undefined);
}

const DECLARE = 'declare the ids the store accepts (ids: { alphabet, maxLength, pattern }; express-session sends 32 base64url characters)';

async function checkDeclared(ctx: ClauseContext, set: IdSet): Promise<void> {
  await ctx.withStore(async (h) => {
    for (const [name, lookalike] of outsideTheSet(set, ctx.seed)) {
      const why = set.explain('0'.repeat(DECLARED_PREFIX_LENGTH) + name)!;
      const must = `an id outside the declared ids (${set.description}) must be refused with an Error that names the id`;
      const details = { counterexample: JSON.stringify(name) };
      const outcome = await probe(h, name, lookalike);
      if (outcome.kind === 'accepted') violated(`set of an id outside the declared ids resolved (${why}); ${must}`, details);
      if (outcome.kind === 'unclear') violated(`${outcome.why}; ${must}, and change nothing`, details);
      if (!(outcome.error instanceof Error) || !NAMES.id.test(outcome.error.message)) {
        violated(`${outcome.call} rejected with ${describeThrown(outcome.error)}, which does not say the id was wrong; ${must}`, details);
      }
    }
  });
}

export const refusedIds: Clause = {
  id: 'refused-ids',
  title: 'ids the store cannot keep are refused clearly: a rejected call, nothing stored, nothing aliased',
  level: 'SHOULD',
  // A declared set is a promise: what falls outside it must be refused as clearly as bad input.
  levelFor: (target) => (target.ids ? 'MUST' : 'SHOULD'),
  meaning: 'sessions whose ids the store refuses are lost: an app whose framework sends such ids cannot log those users in',
  cause: `the backend cannot hold such ids (a NUL in PostgreSQL text, whitespace in a Memcached key, an id longer than a VARCHAR column): ${DECLARE}, and refuse other ids before the backend with an error that names the id`,
  check: async (ctx) => {
    if (ctx.target.ids) return checkDeclared(ctx, ctx.target.ids);
    const { refused, unjudged } = ctx.ids;
    if (unjudged !== undefined) return ctx.inconclusive(unjudged);
    if (refused.length === 0) return;
    ctx.findings.refusedIds = refused.map((c) => c.name);
    const [first] = refused;
    violated(
      `the store refuses ids with ${refused.map((c) => c.name).join(', ')}: clearly (the call rejects and nothing is stored), so no other clause holds it against the store, ` +
        `but sessions under such ids cannot be kept (${first!.call} rejected with ${first!.error}); if no framework the store serves sends such ids, ${DECLARE}`,
      { counterexample: refused.map((c) => `${c.name}: ${c.call} rejected with ${c.error}`).join('\n') },
    );
  },
  doc: {
    summary: 'ids the store cannot keep (NUL, control characters, whitespace, non-ASCII, too long) are refused clearly, never aliased or stored: one SHOULD finding for a store that declares nothing; MUST for ids outside a declared `ids` set',
    heading: 'Ids the store cannot keep (**SHOULD**; **MUST** with `ids`)',
    levelRule: 'MUST with `ids`, else SHOULD',
    whyLevel: 'a store that refuses ids clearly is safe, but sessions under those ids are lost; one that declared its ids promised to refuse every other id clearly',
    body: `
      Some backends cannot hold every id: PostgreSQL text has no NUL, a Memcached key ends at
      whitespace, a \`VARCHAR(128)\` column refuses longer ids. Refusing such an id clearly is safe;
      aliasing it silently (truncating, trimming, cutting at NUL) lets two users share a session, which
      \`id-isolation\` fails. A refusal is **clear** only when the call rejects with an Error, the session
      under a lookalike id (the same id without the offending characters, or cut to the limit) is
      unchanged, and the refused id holds nothing afterwards: a silent drop, or a success followed by a
      wrong read, is no refusal, and the other clauses judge it as before (MUST).

      **A store that declares nothing.** Before the clauses run, the suite asks the store once: a \`set\`
      of an id with NUL, with control characters (U+0001, ESC, DEL), with whitespace (space, tab, CR,
      LF, VT, FF, U+00A0, U+2028, U+3000), with non-ASCII characters (é, 😀, ж), and, by bisection, ids of
      up to 3,000 characters. Each class the store refuses clearly (or the characters of it that it
      refuses: \`whitespace ( , \\t, \\n, \\r)\`; the longest accepted length: \`more than 128 characters\`,
      counted in UTF-8 bytes so that multibyte ids of that length are left out too) is left out of every
      other clause, and \`refused-ids\` reports them together as **one SHOULD finding** (\`warn\`, with
      \`findings.refusedIds\`): "the store refuses ids with NUL: clearly (…), but sessions under such ids
      cannot be kept (store.set(…) rejected with invalid byte sequence for encoding "UTF8": 0x00)". When
      even a plain id is refused, nothing is left out and the clause is \`inconclusive\`.

      **A store that declares its ids** (\`ids\` in its declarations, below) is tested only with ids of
      that set: the data, expiry and concurrency clauses draw from each trap family only the ids that fall
      inside it (\`id-isolation\` lists the traps that cannot, in \`findings.trapsOutsideTheIds\`), plus
      plain ids of the declared alphabet, and every id the suite makes starts with 16 lowercase hex
      characters of its own. \`refused-ids\` is then a **MUST**: each id outside the set (each probed
      character class, \`.\` \`/\` \`+\` \`=\` \`%\` \`:\` \`~\`, upper and lower letters, one character over
      \`maxLength\`, 3,000 characters, and generated ids the set excludes) must be refused clearly, with an
      Error whose message names the id (the words of \`bad-input\`), and nothing stored or aliased.

      In every clause, a store call that rejects with something that explains nothing (a string,
      \`null\`, \`undefined\`, an Error with an empty message) is reported with the call, its arguments cut
      short and what came back: \`store.get("a") rejected with a string 'x'\`.
    `,
  },
};
