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
};
