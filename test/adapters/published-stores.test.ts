/**
 * Published express stores through fromExpressStore, as bench/published-stores.ts declares them,
 * each with the exact verdict it gets, so that a regression in the suite or the adapter shows as a
 * changed verdict. docs/ecosystem.md explains every failure.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { publishedStore, type PublishedStore } from '../../bench/published-stores.js';
import { checkConformance, type ClauseId, type ClauseStatus } from '../../entry/index.js';
import { failedThroughPlatform } from '../support/platform-failures.js';
import { serverFor } from '../support/servers.js';

type Verdict = Partial<Record<ClauseId, ClauseStatus>>;

/**
 * What non-atomic pop (express-session's logout: get, then destroy) costs every store here: the
 * relaxed model accepts it in concurrency and no-resurrection, and atomic-pop, a SHOULD for a store
 * that does not promise atomic pop, warns.
 */
const NON_ATOMIC_POP: Verdict = { 'atomic-pop': 'warn' };

/** The clauses no express store can take part in: no update method, no injectable clock, no faults plan, ids the app chooses. */
const NOT_APPLICABLE: Verdict = { interleavings: 'skipped', update: 'skipped', faults: 'skipped', 'id-quality': 'skipped' };

function verdictOf(statuses: { id: ClauseId; status: ClauseStatus }[]): Verdict {
  return Object.fromEntries(statuses.map((c) => [c.id, c.status]));
}

/**
 * The exact verdict, clause by clause. Where the running Node has V8's JSON.parse key bug, these
 * stores (all of which decode with JSON.parse) may also fail a clause on data with escaped keys:
 * only such a failure, carrying the platform note, may differ from the verdict.
 */
function expectVerdict(name: string, build: () => Promise<PublishedStore>, expected: Verdict, everythingElse: ClauseStatus = 'pass') {
  it(`${name} gets its known verdict`, { timeout: 60_000 }, async () => {
    const { target: factory, close } = await build();
    onTestFinished(close);
    const report = await checkConformance(factory);
    // A third-party report lists the versions that matter to that store, not our reference drivers'.
    expect(Object.keys(report.versions).sort()).toEqual(['fast-check', 'node', 'session-store-conformance', 'vitest', ...(factory.packages ?? [])].sort());
    const failures = report.clauses.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.error?.split('\n')[0]}`);
    const explainedByPlatform = report.clauses.filter((c) => failedThroughPlatform(c, expected[c.id] === 'fail'));
    const whole = Object.fromEntries(report.clauses.map((c) => [c.id, explainedByPlatform.includes(c) ? 'fail' : (expected[c.id] ?? everythingElse)]));
    expect(verdictOf(report.clauses), failures.join('\n')).toEqual(whole);
  });
}

describe('published express stores', () => {
  // express-session's own MemoryStore: one process, so no shared backend.
  expectVerdict('express-session MemoryStore', () => publishedStore('express-session MemoryStore'), {
    ...NOT_APPLICABLE,
    'cross-instance': 'skipped',
    ...NON_ATOMIC_POP,
  });

  // memorystore: an LRU cache in one process; TTL from cookie.maxAge.
  expectVerdict('memorystore', () => publishedStore('memorystore'), {
    ...NOT_APPLICABLE,
    'cross-instance': 'skipped',
    ...NON_ATOMIC_POP,
    // A true defect (docs/ecosystem.md): a cookie with under 1 ms left gives Math.floor(maxAge) = 0,
    // which lru-cache reads as "never expires".
    'ttl-range': 'fail',
  });
});

const redis = await serverFor('redis');
if ('skip' in redis) {
  describe.skip(`connect-redis: ${redis.skip}`, () => {
    it('needs a Redis server', () => {});
  });
} else {
  describe('connect-redis 11 on node-redis 5', () => {
    const place = { url: redis.server.url, prefix: `connect-redis-${process.pid}:` };
    expectVerdict('connect-redis', () => publishedStore('connect-redis', place), { ...NOT_APPLICABLE, ...NON_ATOMIC_POP });
  });
}
