import fc from 'fast-check';
import { sessionData } from '../arbitraries.js';
import { expectSame, type Clause } from '../clause.js';
import { cloneJson } from '../clone-json.js';
import type { SessionStore } from '../contract.js';
import { describeThrown } from '../describe-value.js';
import { CallViolation, LONG_TTL_MS, UnexplainedRejection } from '../harness.js';
import { preview } from '../json-equal.js';
import { checkProperty, violated } from '../property.js';

class Account {
  constructor(readonly name = 'x') {}
}

const circular = (): object => {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = { parent: node };
  return node;
};

const sparse = (): unknown[] => {
  const array = [1, 2, 3];
  delete array[1];
  return array;
};

/** [label, value]: each is a way application code really hands a store something it cannot keep. */
const badIds: [string, () => unknown][] = [
  ['an empty id', () => ''],
  ['a number id', () => 42],
  ['an undefined id', () => undefined],
  ['a null id', () => null],
  ['an object id', () => ({ id: 'a' })],
  ['an id with a lone surrogate', () => 'a\ud800b'],
];

const badTtls: [string, () => unknown][] = [
  ['ttlMs 0', () => 0],
  ['ttlMs -1', () => -1],
  ['ttlMs NaN', () => NaN],
  ['ttlMs Infinity', () => Infinity],
  ['ttlMs -Infinity', () => -Infinity],
  ['ttlMs "1000" (a string)', () => '1000'],
  ['ttlMs undefined', () => undefined],
  ['ttlMs null', () => null],
  ['ttlMs 1000n (a BigInt)', () => 1000n],
];

const badData: [string, () => unknown][] = [
  ['data undefined', () => undefined],
  ['data null', () => null],
  ['data "text" (not an object)', () => 'text'],
  ['data 42 (not an object)', () => 42],
  ['data [] (an array, not an object)', () => []],
  ['data a function', () => () => 1],
  ['a function value', () => ({ callback: () => 1 })],
  ['an undefined value', () => ({ user: undefined })],
  ['a NaN value', () => ({ score: NaN })],
  ['an Infinity value', () => ({ score: Infinity })],
  ['a -Infinity value', () => ({ score: -Infinity })],
  ['a BigInt value', () => ({ big: 1n })],
  ['a Date value', () => ({ createdAt: new Date(0) })],
  ['data a Date', () => new Date(0)],
  ['a Map value', () => ({ roles: new Map([['a', 1]]) })],
  ['a class instance value', () => ({ account: new Account() })],
  ['data a class instance', () => new Account()],
  ['a circular reference', circular],
  ['a sparse array', () => ({ list: sparse() })],
  ['a symbol value', () => ({ tag: Symbol('t') })],
  ['a symbol key', () => ({ [Symbol('t')]: 1 })],
  ['a typed array value', () => ({ bytes: new Uint8Array(2) })],
  ['a nested undefined', () => ({ a: { b: [{ c: undefined }] } })],
];

/** The words store authors really use for each argument, in their messages. */
export const NAMES = {
  id: /\b(?:id|ids|sid|identifier|key|session[ _-]?id)\b/i,
  ttl: /ttl|max[ _-]?age|expir|lifetime/i,
  data: /data|value|session|payload|json/i,
} as const;

const SAY = { id: 'the id (id, sid, sessionId, key)', ttl: 'the TTL (ttl, maxAge, expires, expiry, lifetime)', data: 'the data (data, value, session, payload, JSON)' };

async function expectRejected(call: () => Promise<unknown>, description: string, names: keyof typeof NAMES): Promise<void> {
  let outcome: { resolved: unknown } | { rejected: unknown };
  try {
    outcome = { resolved: await call() };
  } catch (caught) {
    // Judge what the store itself rejected with, not the harness's account of it.
    outcome = { rejected: caught instanceof UnexplainedRejection ? caught.reason : caught };
  }
  const must = `it must reject with a TypeError or RangeError whose message names ${SAY[names]}`;
  if ('resolved' in outcome) violated(`${description} resolved with ${preview(outcome.resolved)}; ${must}`);
  const error = outcome.rejected;
  // The harness's own account (a synchronous throw, a hang) already names the call.
  if (error instanceof CallViolation) violated(`${description}: ${error.message}; ${must}`);
  if (!(error instanceof TypeError || error instanceof RangeError)) violated(`${description} rejected with ${describeThrown(error)}; ${must}`);
  if (!NAMES[names].test(error.message)) violated(`${description} rejected with ${describeThrown(error)}, which does not say what was wrong; ${must}`);
}

export const badInput: Clause = {
  id: 'bad-input',
  title: 'bad ids, TTLs and data are rejected (never thrown synchronously) and change nothing',
  level: 'MUST',
  meaning: 'a bug in the app silently stores corrupt sessions or loses them, instead of failing where it happened',
  cause: 'no validation before the write: check id, TTL and data first, and reject with a TypeError or RangeError that names the argument',
  check: (ctx) =>
    ctx.withStore(async (h) => {
      const by = ctx.target.inputValidatedBy;
      if (by) ctx.findings.inputValidatedBy = `${by} validates input before the store sees it: this clause tests ${by}, not the store`;
      const s = h.store as Record<keyof SessionStore, (...args: unknown[]) => Promise<unknown>>;
      const overLimit = ctx.target.declaresMaxDataBytes
        ? [[`data over maxDataBytes (${ctx.target.maxDataBytes})`, () => ({ blob: 'x'.repeat(ctx.target.maxDataBytes) })] as [string, () => unknown]]
        : [];
      await checkProperty(
        { ...ctx, numRuns: Math.min(ctx.numRuns, 10) },
        fc.asyncProperty(sessionData, fc.integer({ min: 2, max: 1e6 }), async (data, ttl) => {
          await h.inScope(async (scope) => {
            const victim = scope.id('victim');
            const setAt = h.clock.now();
            await h.store.set(victim, cloneJson(data), h.manualClock ? ttl : LONG_TTL_MS);
            for (const [label, bad] of badIds) {
              await expectRejected(() => s.get(bad()), `get(${label})`, 'id');
              await expectRejected(() => s.pop(bad()), `pop(${label})`, 'id');
              await expectRejected(() => s.set(bad(), { ok: true }, 1000), `set(${label}, …)`, 'id');
              if (h.store.touch) await expectRejected(() => s.touch(bad(), 1000), `touch(${label}, …)`, 'id');
            }
            for (const [label, bad] of badTtls) {
              await expectRejected(() => s.set(victim, { replaced: true }, bad()), `set(id, data, ${label}) on a live session`, 'ttl');
              if (h.store.touch) await expectRejected(() => s.touch(victim, bad()), `touch(id, ${label}) on a live session`, 'ttl');
            }
            for (const [label, bad] of [...badData, ...overLimit]) {
              await expectRejected(() => s.set(victim, bad(), 1000), `set(id, ${label}) on a live session`, 'data');
            }
            expectSame(await h.store.get(victim), data, 'the live session after the rejected calls');
            if (h.manualClock) {
              // Rejected calls must not have moved the expiry either.
              h.manualClock.advanceTo(setAt + ttl - 1);
              expectSame(await h.store.get(victim), data, `get 1 ms before the original ttlMs ${ttl} ran out, after the rejected calls`);
              h.manualClock.advanceTo(setAt + ttl);
              expectSame(await h.store.get(victim), undefined, `get when the original ttlMs ${ttl} ran out, after the rejected calls`);
            }
          });
        }),
      );
    }),
  doc: {
    summary: 'bad ids, TTLs and data are rejected promises with a `TypeError`/`RangeError` naming the problem, and change nothing',
    heading: 'Bad input',
    whyLevel: 'a store that keeps what it cannot read back, or throws synchronously, breaks requests later and elsewhere',
    body: `
      Each of these makes the call return a **rejected promise** (never a synchronous throw) with a
      \`TypeError\` or \`RangeError\` whose message names the problem, in any of the words store authors
      use: the id (\`id\`, \`sid\`, \`sessionId\`, \`session_id\`, \`key\`), the TTL (\`ttl\`, \`ttlMs\`, \`maxAge\`,
      \`expires\`, \`expiry\`, \`lifetime\`) or the data (\`data\`, \`value\`, \`session\`, \`payload\`, \`JSON\`):

      - an id that is empty, not a string, or not well-formed Unicode (a lone surrogate: UTF-8 backends
        would turn it into U+FFFD and alias ids);
      - a \`ttlMs\` that is not a positive finite number (\`0\`, \`-1\`, \`NaN\`, \`±Infinity\`, \`"1000"\`,
        \`undefined\`, \`null\`, a BigInt);
      - data that is not a plain JSON object: not an object at all, an array, or an object containing
        functions, \`undefined\`, \`NaN\` / \`±Infinity\`, BigInts, \`Date\`s, \`Map\`s, typed arrays, class
        instances, symbols (as values or keys), sparse-array holes or circular references;
      - data larger than the store's declared \`maxDataBytes\` (\`RangeError\`), when it declares one.

      What was stored before is unchanged: same data, same deadline. A store never silently stores
      something that reads back differently.
    `,
  },
};
