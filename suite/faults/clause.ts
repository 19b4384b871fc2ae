/**
 * The `faults` clause: concurrent clients work on their sessions while the target's driver fires
 * faults on a seeded schedule; the driver heals, everything is read back, and the history is
 * checked. INFO (findings only) unless the target declares `durable`, then a MUST.
 */
import type { Clause } from '../clause.js';
import type { SessionData, SessionStore } from '../contract.js';
import { messageOf } from '../describe-value.js';
import { LONG_TTL_MS, type Harness } from '../harness.js';
import { monotonicClock, type OpName, type Operation } from '../linearizability/history.js';
import { violated } from '../property.js';
import { drawFaultRun } from './drawing.js';
import { checkFaultHistory, describeFinding, settledAt, type FaultEvent } from './history.js';
import { describeFault, type FaultPlan } from './plan.js';

const CLIENTS = 8;
/**
 * Per client: busy sessions get the whole mix (set, get, pop), where failed calls leave what
 * happened open; steady sessions are written once before any fault and then only read (a user
 * who logged in and browses), so that losing one is beyond doubt.
 */
const BUSY_PER_CLIENT = 4;
const STEADY_PER_CLIENT = 4;
const SESSIONS = CLIENTS * (BUSY_PER_CLIENT + STEADY_PER_CLIENT);
/** A call unanswered this long counts as failed (indeterminate): a fault must never hang the run. */
const OP_TIMEOUT_MS = 1000;
/** A client whose call failed waits this long before its next, as an app's retry would: a dead server fails calls at once. */
const BACKOFF_MS = 20;
const DEFAULT_DURATION_MS = 3000;
const HEAL_AT = 0.7;

/** mulberry32: a small seeded generator, so a seed replays the same schedule and operation mix. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Resolves at `deadline` on the monotonic clock, never before it. */
async function waitUntil(deadline: number): Promise<void> {
  while (monotonicClock.now() < deadline) await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(deadline - monotonicClock.now()))));
}

type FaultKind = Extract<OpName, 'set' | 'get' | 'pop'>;

/** One recorded run: clients, schedule, heal, read-back. */
class FaultRun {
  readonly ops: Operation[] = [];
  readonly events: FaultEvent[] = [];
  /** Client numbers to the names a timeline shows: `client 3`, `read-back 1`. */
  readonly #names: string[] = [];
  readonly #started = monotonicClock.now();
  #writes = 0;

  now(): number {
    return monotonicClock.now() - this.#started;
  }

  /** The number of the client called `name`. */
  #numberOf(name: string): number {
    const known = this.#names.indexOf(name);
    return known >= 0 ? known : this.#names.push(name) - 1;
  }

  nameOf = (client: number): string => this.#names[client] ?? `client ${client}`;

  /** Calls `kind` on `session`, recording it; resolves true when it was acknowledged in time. */
  async call(store: SessionStore, client: string, kind: FaultKind, session: string): Promise<boolean> {
    const input = kind === 'set' ? { data: { w: ++this.#writes } as SessionData, ttlMs: LONG_TTL_MS } : {};
    const op: Operation = { client: this.#numberOf(client), op: kind, id: session, input, call: this.now(), ret: Infinity };
    this.ops.push(op);
    const promise = kind === 'set' ? store.set(session, input.data!, LONG_TTL_MS) : kind === 'get' ? store.get(session) : store.pop(session);
    let timedOut = false;
    // The call may settle after its caller gave up: when it did is recorded whenever that happens.
    const settled = promise
      .then(
        (value) => ({ ok: true as const, value, at: this.now() }),
        (error: unknown) => ({ ok: false as const, error, at: this.now() }),
      )
      .then((outcome) => {
        if (timedOut) op.settled = outcome.at;
        return outcome;
      });
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(void (timedOut = true)), OP_TIMEOUT_MS)));
    const outcome = await Promise.race([settled, gaveUp]);
    clearTimeout(timer);
    op.ret = outcome?.at ?? this.now();
    if (outcome === undefined) op.error = `no answer within ${OP_TIMEOUT_MS} ms`;
    else if (!outcome.ok) {
      op.error = messageOf(outcome.error).split('\n')[0]!.slice(0, 120);
      op.settled = outcome.at;
    } else if (kind !== 'set') op.output = outcome.value;
    return op.error === undefined;
  }

  async client(store: SessionStore, index: number, own: { busy: string[]; steady: string[] }, until: number, seed: number): Promise<void> {
    const next = random(seed + index);
    const name = `client ${index}`;
    for (const session of own.steady) await this.call(store, name, 'set', session);
    const sessions = [...own.busy, ...own.steady];
    while (this.now() < until) {
      const session = sessions[Math.floor(next() * sessions.length)]!;
      const r = next();
      // Busy: mostly logins and page views that write, some reads, a few logouts. Steady: reads.
      const kind = own.steady.includes(session) ? 'get' : r < 0.6 ? 'set' : r < 0.9 ? 'get' : 'pop';
      const ok = await this.call(store, name, kind, session);
      if (!ok) await waitUntil(monotonicClock.now() + BACKOFF_MS);
      // Let timers run between calls: an in-process store answers in microtasks, which would
      // otherwise starve the fault schedule.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async schedule(plan: FaultPlan, durationMs: number, seed: number): Promise<void> {
    const next = random(seed ^ 0x5eed);
    const times = plan.faults.map(() => durationMs * (0.15 + 0.35 * next())).sort((a, b) => a - b);
    const start = monotonicClock.now() - this.now();
    for (const [i, fault] of plan.faults.entries()) {
      await waitUntil(start + times[i]!);
      this.events.push({ at: this.now(), what: describeFault(fault) });
      await plan.driver.inject(fault);
    }
    await waitUntil(start + durationMs * HEAL_AT);
    this.events.push({ at: this.now(), what: 'heal' });
    await plan.driver.heal();
    this.events.push({ at: this.now(), what: 'healed' });
  }

  /** The longest stretch after the first fault with no call acknowledged. */
  unavailable(until: number): { from: number; to: number } {
    const from = this.events[0]?.at ?? 0;
    const acks = this.ops.filter((op) => op.error === undefined && op.ret > from && op.ret < until).map((op) => op.ret).sort((a, b) => a - b);
    let longest = { from, to: from };
    let last = from;
    for (const at of [...acks, until]) {
      if (at - last > longest.to - longest.from) longest = { from: last, to: at };
      last = at;
    }
    return longest;
  }

  /**
   * Per fault: the sessions it affected (a call on them failed after it struck), and how long after
   * it every one of them was served again, and took a write again (null: not all of them did).
   */
  afterFaults(): Record<string, { affectedSessions: number; servedAgainAfterMs: number | null; writesResumedAfterMs: number | null }> {
    const result: Record<string, { affectedSessions: number; servedAgainAfterMs: number | null; writesResumedAfterMs: number | null }> = {};
    for (const event of this.events.filter((e) => e.what !== 'heal' && e.what !== 'healed')) {
      const failures = new Map<string, Operation>();
      for (const op of this.ops) if (op.error !== undefined && settledAt(op) > event.at && !failures.has(op.id)) failures.set(op.id, op);
      // The latest, over the affected sessions, of the first call (or write) acknowledged after their first failure.
      const latest = (kinds: OpName[]) => {
        let worst = 0;
        for (const [session, failure] of failures) {
          const tried = this.ops.filter((op) => op.id === session && kinds.includes(op.op) && op.call > failure.call);
          if (tried.length === 0) continue;
          const served = tried.find((op) => op.error === undefined);
          if (!served) return null;
          worst = Math.max(worst, served.ret - event.at);
        }
        return Math.round(worst);
      };
      result[`${event.what} at +${Math.round(event.at)} ms`] = { affectedSessions: failures.size, servedAgainAfterMs: latest(['get', 'set', 'pop']), writesResumedAfterMs: latest(['set']) };
    }
    return result;
  }
}

export const faults: Clause = {
  id: 'faults',
  title: 'under the faults the target injects, acknowledged sessions are not lost, resurrected or read stale after heal',
  level: 'INFO',
  meaning: 'when a server crashes, restarts or is cut off, users are logged out, or a logout is undone, or they read a session as it was before',
  cause: 'no persistence (Redis without AOF, Memcached) or asynchronous replication: promise durable only with writes synced before they are acknowledged (appendfsync always)',
  // Losing sessions to a crash is a fact to report of a cache, and a bug in a store that promises durability.
  levelFor: (target) => (target.durable ? 'MUST' : 'INFO'),
  exclusive: true,
  skipReason: (_capabilities, target) => (target.faults ? undefined : 'the target supplies no faults plan (a driver and the faults to fire)'),
  check: (ctx) =>
    ctx.withConcurrentStores(async (hs) => {
      const plan = ctx.target.faults!;
      const durationMs = plan.durationMs ?? DEFAULT_DURATION_MS;
      const run = new FaultRun();
      const scope = hs[0]!.scope();
      const sessions = Array.from({ length: CLIENTS }, (_, c) => ({
        busy: Array.from({ length: BUSY_PER_CLIENT }, (_, k) => scope.id(`busy-${c}-${k}`)),
        steady: Array.from({ length: STEADY_PER_CLIENT }, (_, k) => scope.id(`steady-${c}-${k}`)),
      }));
      const all = sessions.flatMap((own) => [...own.busy, ...own.steady]);
      try {
        // Clients record every failure themselves; a driver that cannot inject a fault fails the
        // clause, once the clients are done with the store.
        const [scheduled] = await Promise.allSettled([
          run.schedule(plan, durationMs, ctx.seed),
          ...sessions.map((own, c) => run.client(hs[c % hs.length]!.store, c, own, durationMs, ctx.seed)),
        ]);
        if (scheduled.status === 'rejected') throw scheduled.reason;
        // Read everything back through every instance (one at a time), and through a fresh one
        // when they share a backend, as a new app server would.
        const readBack = async (readers: Harness[], label: string) => {
          for (const session of all) {
            for (const [i, h] of readers.entries()) await run.call(h.store, `${label} ${i}`, 'get', session);
          }
        };
        await readBack(hs, 'read-back');
        if (ctx.target.sharedBackend) await ctx.withStore((fresh) => readBack([fresh], 'fresh read'));
      } finally {
        await plan.driver.heal();
        await scope.cleanup();
      }
      const { findings, undecided, result } = checkFaultHistory(run.ops);
      const counts: Record<string, number> = {};
      for (const f of findings) counts[f.anomaly] = (counts[f.anomaly] ?? 0) + 1;
      const lostSessions = new Set(findings.filter((f) => f.anomaly === 'lost write').map((f) => f.session)).size;
      const timelines = findings.slice(0, 3).map((f) => describeFinding(f, run.ops, run.events, run.nameOf));
      const unavailable = run.unavailable(durationMs);
      const afterFaults = run.afterFaults();
      Object.assign(ctx.findings, {
        faults: run.events.map((e) => `+${Math.round(e.at)} ms ${e.what}`),
        operations: run.ops.length,
        acknowledged: run.ops.filter((op) => op.error === undefined).length,
        indeterminate: run.ops.filter((op) => op.error !== undefined).length,
        unavailableMs: Math.round(unavailable.to - unavailable.from),
        afterFaults,
        anomalies: counts,
        sessions: SESSIONS,
        lostSessions,
        ...(undecided.length > 0 && { undecidedSessions: undecided.length }),
        ...(timelines.length > 0 && { timelines }),
      });
      if (findings.length > 0 && ctx.target.durable) {
        const summary = Object.entries(counts).map(([anomaly, n]) => `${n} × ${anomaly}`).join(', ');
        violated(`under ${run.events.filter((e) => e.what !== 'heal' && e.what !== 'healed').map((e) => e.what).join(', ')}: ${summary} (${lostSessions} of ${SESSIONS} sessions lost)\n\n${timelines.join('\n\n')}`, {
          anomaly: findings[0]!.anomaly,
          anomalyTypes: [findings[0]!.anomaly, ...result.anomalyTypes.filter((t) => t !== findings[0]!.anomaly)],
          faults: drawFaultRun({ ops: run.ops, events: run.events, findings, unavailable, afterFaults, clientName: run.nameOf }),
        });
      }
      // A check that could not judge says so: sessions the search gave up on are neither lost nor kept.
      if (undecided.length > 0 && ctx.target.durable) ctx.inconclusive(`the history search gave up on ${undecided.length} of ${SESSIONS} sessions`);
    }),
  doc: {
    summary: 'with a `faults` plan: under kill / restart / partition / drop / latency, acknowledged sessions are not lost, rolled back, resurrected or read stale after heal (INFO; MUST with `durable: true`)',
    heading: 'Under faults (**INFO**; **MUST** with `durable`; when the target supplies `faults`)',
    levelRule: 'INFO, MUST with `durable`',
    whyLevel: 'a cache losing sessions in a crash is a fact to report; a store that promises durability and loses them is broken',
    body: `
      While 8 clients work on 64 sessions (half busy with set / get / pop, half written once and then
      only read), the target's fault driver fires its faults on a seeded schedule, heals at 70% of the
      run, and every session is read back through every instance and a fresh one. No acknowledged
      write is lost or rolled back, no popped session comes back, no read after heal is stale. A call
      that failed or took over 1 s is indeterminate: it may have taken effect, then or any time until it
      settled. Findings: the faults and their times, calls, acknowledged and indeterminate counts, the
      longest stretch with no call acknowledged, per fault the sessions affected and when they were
      served and written again, anomalies by name, sessions lost, and the first timelines. A store that
      declares \`durable: true\` fails on any anomaly. It hurts the backend, so it runs alone, after every
      other clause has finished (in \`checkConformance\` and in every runner binding alike); \`only:
      ['faults']\` runs it by itself. See [faults.md](faults.md).
    `,
  },
};
