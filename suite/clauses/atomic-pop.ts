import type { Clause } from '../clause.js';
import { LONG_TTL_MS } from '../harness.js';
import { expectLinearizable, expectNoErrors } from '../linearizability/expect.js';
import { type History, monotonicClock, recordOp } from '../linearizability/history.js';

const POPPERS = 16;
const ROUNDS = 20;

export const atomicPop: Clause = {
  id: 'atomic-pop',
  title: 'of many concurrent pops of one live session, exactly one returns it',
  level: 'MUST',
  meaning: 'a logout or a one-time token can succeed twice when two requests race',
  cause: 'pop is a get followed by a delete: use GETDEL, DELETE … RETURNING, or a compare-and-swap delete',
  // A logout that two requests can both "win" is a bug only where the store promises otherwise.
  levelFor: (target) => (target.atomicPop ? 'MUST' : 'SHOULD'),
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      let doublePops = 0;
      let first: unknown;
      for (let round = 0; round < ROUNDS; round++) {
        await hs[0]!.inScope(async (scope) => {
          const id = scope.id('logout');
          const history: History = [];
          await recordOp(history, monotonicClock, hs[0]!.store, 0, { op: 'set', id, input: { data: { round }, ttlMs: LONG_TTL_MS } });
          await Promise.all(Array.from({ length: POPPERS }, (_, i) => recordOp(history, monotonicClock, hs[i % hs.length]!.store, i + 1, { op: 'pop', id, input: {} })));
          expectNoErrors(history, { context: `round ${round + 1}` });
          const winners = history.filter((op) => op.op === 'pop' && op.output !== undefined).length;
          if (winners > 1) doublePops++;
          // One winner explains itself. Otherwise the first such round is explained, as if pop were
          // atomic whatever the target declares: that is what this clause asks. Later rounds only count.
          if (winners === 1 || first !== undefined) return;
          try {
            expectLinearizable(history, { toleranceMs: ctx.target.ttlResolutionMs, atomicPop: true, inconclusive: ctx.inconclusive, context: `round ${round + 1}: ${winners} of ${POPPERS} concurrent pops returned the session` });
          } catch (error) {
            first = error;
          }
        });
      }
      ctx.findings.doublePopRate = Number((doublePops / ROUNDS).toFixed(3));
      ctx.findings.rounds = ROUNDS;
      if (first !== undefined) throw first;
    }),
  doc: {
    summary: 'of 16 concurrent pops of one session exactly one returns it (MUST with `atomicPop`, else SHOULD)',
    heading: 'Atomic pop',
    levelRule: 'MUST with `atomicPop`, else SHOULD',
    whyLevel: 'a logout or one-time token that two requests both "win" matters where the store promised otherwise; a get + delete pop is common and legal',
    body: `
      Sixteen concurrent pops of one live session (across instances when shared), twenty rounds: exactly
      one returns it, judged as if pop were atomic. **MUST** when the target declares \`atomicPop\` (every
      reference store does), otherwise a **SHOULD**: a logout that two requests both "win" is a bug only
      where the store promises otherwise. The share of rounds with more than one winner is reported as
      \`doublePopRate\`.
    `,
  },
};
