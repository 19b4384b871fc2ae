/**
 * Every cause once, with the real cause named: ids a store refuses clearly are one SHOULD finding,
 * a clause reports each kind of failure it finds, clauses broken by one cause share one headline,
 * and a failed call is reported as the call.
 */
import { describe, expect, it } from 'vitest';
import { checkConformance, EXPRESS_SESSION_IDS, formatClauseResult, fromExpressStore, renderMarkdown, type ClauseResult, type StoreFactory } from '../entry/index.js';
import { ID_ALPHABETS } from '../suite/ids.js';
import { HookedStore } from './broken/base.js';
import { defects } from './broken/defects.js';

const SEED = 7;
const broken = (name: string) => defects.find((d) => d.name === name)!.target;
const broke = (results: ClauseResult[]) => results.filter((c) => ['fail', 'warn', 'info'].includes(c.status));

/** A store that refuses ids with `%` (a class the suite does not probe) with its backend's words. */
class PercentRefusingStore extends HookedStore {
  override validate(id: unknown, ttlMs?: unknown): void {
    super.validate(id, ...(arguments.length > 1 ? [ttlMs] : []));
    if ((id as string).includes('%')) throw new Error('ERR invalid key');
  }
}

const target = (name: string, Store: new (clock: ConstructorParameters<typeof HookedStore>[0]) => HookedStore, more: Partial<StoreFactory> = {}): StoreFactory => ({
  name,
  clock: 'injected',
  open: ({ clock }) => new Store(clock),
  ...more,
});

describe('ids a store refuses clearly', () => {
  it.each([
    ['refuses ids with NUL, as PostgreSQL text does', ['NUL']],
    ['refuses ids with whitespace or control characters, as a Memcached key', ['NUL', 'control characters', 'whitespace']],
    ['refuses ids over 128 characters, as a VARCHAR(128) column', ['more than 128 characters']],
  ])('%s: one SHOULD finding naming the class, no MUST failure', async (name, classes) => {
    const report = await checkConformance(broken(name), { seed: SEED, numRuns: 30 });
    expect(report.ok).toBe(true);
    const [finding, ...others] = broke(report.clauses);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ id: 'refused-ids', level: 'SHOULD', status: 'warn', findings: { refusedIds: classes } });
    expect(finding!.error).toContain(`the store refuses ids with ${classes.join(', ')}: clearly`);
    expect(finding!.counterexample).toMatch(/rejected with/);
    expect(finding!.replay).toBe(`{ only: ['refused-ids'], seed: ${SEED} }`);
  });

  it('a store that accepts an id and aliases it still fails MUST (trimmed ids)', async () => {
    const report = await checkConformance(broken('ids are trimmed, as under a PAD SPACE collation'), { seed: SEED, numRuns: 30 });
    expect(broke(report.clauses).map((c) => [c.id, c.status])).toEqual([['id-isolation', 'fail'], ['model', 'fail']]);
  });

  it('a store that declares its ids is tested only with them, and passes when it refuses the others by name', async () => {
    const seen = new Set<string>();
    class Declared extends HookedStore {
      override validate(id: unknown, ttlMs?: unknown): void {
        super.validate(id, ...(arguments.length > 1 ? [ttlMs] : []));
        seen.add(id as string);
        if (!/^[\w-]{1,64}$/.test(id as string)) throw new TypeError(`session id must be 1 to 64 base64url characters, got ${JSON.stringify(id)}`);
      }
    }
    const store = target('declared', Declared, { ids: { alphabet: 'base64url', maxLength: 64 } });
    const everything = await checkConformance(store, { seed: SEED, numRuns: 30 });
    expect(broke(everything.clauses)).toEqual([]);
    expect(everything.clauses.find((c) => c.id === 'refused-ids')).toMatchObject({ status: 'pass', level: 'MUST' });
    seen.clear();
    await checkConformance(store, { seed: SEED, numRuns: 30, skip: ['refused-ids', 'bad-input'] });
    const outside = [...seen].filter((id) => id.length > 64 || [...id].some((c) => !ID_ALPHABETS.base64url.includes(c)));
    expect(outside).toEqual([]);
    // The traps that fit the set still appear: both base64 alphabets' own characters.
    expect([...seen].some((id) => id.includes('_'))).toBe(true);
  });

  it('fromExpressStore with EXPRESS_SESSION_IDS: a store that cannot hold NUL passes, as express-session never sends one', async () => {
    const sessions = new Map<string, string>();
    const live = (sid: string) => {
      const session = sessions.has(sid) ? (JSON.parse(sessions.get(sid)!) as { cookie: { expires: string } }) : null;
      return session && Date.parse(session.cookie.expires) > Date.now() ? session : null;
    };
    // Like connect-pg-simple on PostgreSQL text: NUL is refused by the database, in its own words.
    const pgLike = {
      get: (sid: string, cb: (e?: unknown, v?: unknown) => void) => (sid.includes('\0') ? cb(new Error('invalid byte sequence for encoding "UTF8": 0x00')) : cb(null, live(sid))),
      set: (sid: string, session: object, cb: (e?: unknown) => void) => (sid.includes('\0') ? cb(new Error('invalid byte sequence for encoding "UTF8": 0x00')) : (sessions.set(sid, JSON.stringify(session)), cb())),
      destroy: (sid: string, cb: (e?: unknown) => void) => (sessions.delete(sid), cb()),
    };
    const report = await checkConformance(fromExpressStore(pgLike, { ids: EXPRESS_SESSION_IDS }), { seed: SEED, numRuns: 20 });
    expect(broke(report.clauses).filter((c) => c.level === 'MUST')).toEqual([]);
    expect([...sessions.keys()]).toEqual([]);
  });

  it('rejects a declaration it could not keep to', async () => {
    await expect(checkConformance({ ...target('x', HookedStore), ids: { maxLength: 10 } })).rejects.toThrow(/ids.maxLength must be an integer of at least 24/);
    await expect(checkConformance({ ...target('x', HookedStore), ids: { alphabet: 'base32' as never } })).rejects.toThrow(/ids.alphabet must be one of base64url, hex, uuid/);
    await expect(checkConformance({ ...target('x', HookedStore), ids: { pattern: /^[A-Z]+$/ } })).rejects.toThrow(/ids must accept the suite's own ids/);
  });
});

describe('a failed call is reported as the call', () => {
  it('names the call, its arguments and the store error, with a usual cause about the call', async () => {
    const report = await checkConformance(target('percent', PercentRefusingStore), { seed: SEED, numRuns: 30, only: ['round-trip', 'absent'] });
    for (const c of report.clauses) {
      expect(c.status).toBe('fail');
      expect(c.error).toMatch(/^store\.(set|get)\(".*%.*"(, .*)?\) rejected with an Error: ERR invalid key$/);
      expect(c.failedCall?.error).toBe('ERR invalid key');
      expect(c.cause).toMatch(/^the store refused or failed a call the clause needs to succeed/);
      expect(c.cause).not.toMatch(/exact JSON/);
      expect(c.replay).toBeTruthy();
    }
  });

  it('a concurrency failure from a rejected call carries the history and a replay line', async () => {
    const report = await checkConformance(broken('set rejects while another set of the session is in flight'), { seed: SEED, numRuns: 20, only: ['concurrency'] });
    const [c] = report.clauses;
    expect(c).toMatchObject({ status: 'fail', failedCall: { error: 'SQLITE_BUSY: database is locked' } });
    expect(c!.error).toMatch(/^store\.set\(.*\) failed under concurrency: SQLITE_BUSY: database is locked$/);
    expect(c!.counterexample).toMatch(/the operations on session ".*":\n  client \d/);
    expect(c!.replay).toBe(`{ only: ['concurrency'], seed: ${SEED} }`);
  });

  it('a store adding a key of its own to the data shows a value never written, not a stale read', async () => {
    const report = await checkConformance(broken('get adds a last-access stamp of its own to the data'), { seed: SEED, numRuns: 20, only: ['concurrency', 'no-resurrection'] });
    for (const c of report.clauses) expect(c.anomaly).toBe('value never written');
  });
});

describe('all the causes, not the first', () => {
  it('a clause with two defects reports both, each with its own counterexample and replay', async () => {
    class TwoDefects extends PercentRefusingStore {
      override encode(data: Parameters<HookedStore['encode']>[0]): unknown {
        // The for-in copy that loses "__proto__" keys.
        const copy: Record<string, unknown> = {};
        for (const key in data) copy[key] = data[key];
        return super.encode(copy as typeof data);
      }
    }
    const report = await checkConformance(target('two defects', TwoDefects), { seed: SEED, numRuns: 50, only: ['round-trip'] });
    const [c] = report.clauses;
    const causes = [c!, ...(c!.furtherCauses ?? [])];
    // The refused id and the lost "__proto__" key, each once (the for-in copy may break a third way too).
    expect(causes.filter((x) => x.failedCall?.error === 'ERR invalid key')).toHaveLength(1);
    expect(causes.filter((x) => x.failedCall === undefined && /^get after set: expected \{"__proto__"/.test(x.error!))).toHaveLength(1);
    for (const x of causes) {
      expect(x.counterexample).toBeTruthy();
      expect(x.replay).toMatch(/^\{ only: \['round-trip'\], seed: \d+, path: "[\d:]+" \}$/);
    }
    expect(formatClauseResult(report.store, c!)).toContain(`Another cause (2 of ${causes.length})`);
  });
});

describe('one headline per cause', () => {
  it('one cause: the clauses it broke are listed once, under the first', async () => {
    const report = await checkConformance(target('percent', PercentRefusingStore), { seed: SEED, numRuns: 30, only: ['round-trip', 'absent', 'replace', 'pop'] });
    const ids = ['round-trip', 'absent', 'replace', 'pop'];
    for (const c of report.clauses) expect(c.sharedCause).toEqual(ids);
    const md = renderMarkdown(report);
    expect(md.match(/One cause breaks 4 clauses/g)).toHaveLength(1);
    expect(md).toContain('Same cause as `round-trip`');
    expect(formatClauseResult(report.store, report.clauses[1]!)).toMatch(/^percent violates \[absent\] \(MUST\) for the same cause as \[round-trip\]: store\./);
    expect(formatClauseResult(report.store, report.clauses[0]!)).toMatch(/^One cause breaks 4 clauses \(round-trip, absent, replace, pop\): store\./);
  });

  it('two causes are never merged', async () => {
    const report = await checkConformance(broken('refuses ids with NUL, and a TTL under 1 s never expires'), { seed: SEED, numRuns: 30 });
    const failures = broke(report.clauses);
    expect(failures.map((c) => c.id)).toEqual(['replace', 'expiry', 'touch', 'ttl-range', 'bad-input', 'refused-ids', 'model']);
    const refusal = failures.find((c) => c.id === 'refused-ids')!;
    expect(refusal.sharedCause).toBeUndefined();
    for (const c of failures) for (const other of c.sharedCause ?? []) expect(failures.find((f) => f.id === other)!.error!.split(':')[0]).toBe(c.error!.split(':')[0]);
  });
});
