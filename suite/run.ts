import { sharedCauses } from './causes.js';
import { clauses } from './clauses/index.js';
import type { Clause, ClauseContext } from './clause.js';
import type { Capabilities } from './result.js';
import type { Clock, Json } from './contract.js';
import { CallViolation, Harness, rejectedCall } from './harness.js';
import { LoopWatch } from './loop-watch.js';
import { describeThrown, messageOf } from './describe-value.js';
import { findRefusedClasses } from './id-refusals.js';
import { IdPolicy } from './ids.js';
import { platformNote } from './platform.js';
import { CHECK_FAILED, ClauseViolation } from './property.js';
import { writeReport } from './report.js';
import type { Cause, ClauseResult, ConformanceReport } from './result.js';
import { ClauseWatch, STRAY_CAUSE, STRAY_MEANING } from './strays.js';
import { resolveOptions, resolveTarget, type ConformanceTarget, type ResolvedTarget } from './target.js';
import type { ConformanceOptions, ResolvedOptions } from './options.js';
import { CLAUSE_STATUSES, statusFor, type ClauseStatus, type Outcome } from './verdict.js';
import { packageVersions } from './versions.js';

/** Store instances (connections, database handles) that concurrency clauses use on a shared backend. */
const CONCURRENT_INSTANCES = 3;

/** What a store call that failed means, whatever the clause that made it. */
const FAILED_CALL_MEANING = 'requests that make this call fail: users see an error, or lose their session';
const FAILED_CALL_CAUSE =
  'the store refused or failed a call the clause needs to succeed, so the clause never got to check a result: if the backend cannot hold such ids or data, ' +
  'refuse them before it with an error that names the argument and declare the ids the store accepts (ids in its declarations); otherwise fix the call';

/**
 * One conformance run over one target: the runner-free core that both checkConformance and the
 * vitest binding drive, clause by clause.
 */
export class ConformanceRun {
  readonly target: ResolvedTarget;
  readonly options: ResolvedOptions;
  readonly results: ClauseResult[] = [];
  readonly #runPrefix = Harness.newRunPrefix();
  #capabilities: Promise<Capabilities> | undefined;
  #probed: Capabilities | null = null;
  #idPolicy: Promise<IdPolicy> | undefined;

  constructor(target: ConformanceTarget, options?: ConformanceOptions) {
    this.target = resolveTarget(target);
    this.options = resolveOptions(options);
  }

  /** The clauses this run covers, after `only` and `skip`; those that run alone come last. */
  get clauses(): Clause[] {
    const selected = clauses.filter((c) => this.options.clauses.has(c.id));
    return [...selected.filter((c) => !c.exclusive), ...selected.filter((c) => c.exclusive)];
  }

  /** Opens the store once to learn which optional methods it has. */
  capabilities(): Promise<Capabilities> {
    this.#capabilities ??= (async () => {
      const harness = await this.#open();
      try {
        this.#probed = { touch: harness.hasTouch, update: harness.hasUpdate, createId: harness.hasCreateId };
        return this.#probed;
      } finally {
        await harness.close();
      }
    })();
    return this.#capabilities;
  }

  /**
   * The ids the clauses use: those the store declares; else all, but for the classes of ids the
   * store refuses clearly, found once by probing, which `refused-ids` reports instead.
   */
  idPolicy(): Promise<IdPolicy> {
    this.#idPolicy ??= (async () => {
      if (this.target.ids) return new IdPolicy(this.target.ids, []);
      const harness = await this.#open();
      try {
        const found = await findRefusedClasses(harness);
        return 'refused' in found ? new IdPolicy(undefined, found.refused) : new IdPolicy(undefined, [], found.unjudged);
      } finally {
        await harness.close();
      }
    })();
    return this.#idPolicy;
  }

  /** Several instances share one clock, so that time agrees between them. */
  async #openMany(count: number): Promise<Harness[]> {
    const first = await this.#open();
    const rest = await Promise.allSettled(Array.from({ length: count - 1 }, () => this.#open(first.clock)));
    const opened = [first, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(opened.map((h) => h.close()));
      throw failed.reason;
    }
    return opened;
  }

  #open(clock?: Clock): Promise<Harness> {
    return Harness.open(this.target, this.options.operationTimeoutMs, this.#runPrefix, clock).catch((cause: unknown) => {
      throw new Error(`could not open store "${this.target.name}": ${messageOf(cause)}`, { cause });
    });
  }

  async runClause(clause: Clause): Promise<ClauseResult> {
    const started = performance.now();
    const { seed, numRuns, strict } = this.options;
    const level = clause.levelFor?.(this.target) ?? clause.level;
    const base = { id: clause.id, title: clause.title, level, seed, numRuns };
    const findings: Record<string, Json> = {};
    // Only the clause's own timed waits: other clauses' work before or after them is not its delay.
    const loop = clause.realTime && this.target.clock === 'system' ? new LoopWatch({ onlyTimedWaits: true }) : undefined;
    // A set: a check inside a property may report the same reason on every one of its runs.
    const unjudged = new Set<string>();
    // What store code throws outside the calls the clause awaits is the clause's failure.
    const watch = new ClauseWatch();
    let result: ClauseResult;
    try {
      const capabilities = await watch.run(() => this.capabilities());
      const reason = clause.skipReason?.(capabilities, this.target);
      if (reason !== undefined) {
        result = { ...base, status: 'skipped', reason, durationMs: 0 };
      } else {
        const withStores = async <T>(count: number, use: (harnesses: Harness[]) => Promise<T>): Promise<T> => {
          const harnesses = await this.#openMany(count);
          try {
            return await use(harnesses);
          } finally {
            await Promise.allSettled(harnesses.map((h) => h.close()));
          }
        };
        const ctx: ClauseContext = {
          target: this.target,
          capabilities,
          // The id probing calls the store too: what it throws outside a call is this clause's as well.
          ids: await watch.run(() => this.idPolicy()),
          numRuns,
          seed,
          path: this.options.path,
          replayPath: this.options.replayPath,
          findings,
          inconclusive: (reason) => void unjudged.add(reason),
          withStore: (use) => withStores(1, ([harness]) => use(harness!)),
          withStores,
          withConcurrentStores: (use) => withStores(this.target.sharedBackend ? CONCURRENT_INSTANCES : 1, use),
        };
        await watch.run(() => (loop ? loop.run(() => clause.check(ctx)) : clause.check(ctx)));
        const outcome: Outcome = unjudged.size > 0 ? 'inconclusive' : 'held';
        const reason = [...unjudged].join('; ');
        const status = statusFor(level, outcome, strict);
        result = { ...base, status, durationMs: 0, ...(reason && { reason }) };
        if (status === 'fail') result.error = `could not judge, which strict mode fails: ${reason}`;
      }
    } catch (error) {
      const failure = this.#describeFailure(clause, error);
      const further = error instanceof ClauseViolation ? (error.details.furtherCauses ?? []).map((v) => this.#describeFailure(clause, v)) : [];
      const note = platformNote(`${failure.error}\n${failure.counterexample ?? ''}`);
      const seedOf = error instanceof ClauseViolation && error.details.seed !== undefined ? { seed: error.details.seed } : {};
      result = {
        ...base,
        ...seedOf,
        status: statusFor(level, 'broke', strict),
        durationMs: 0,
        ...failure,
        ...(further.length > 0 && { furtherCauses: further }),
        ...(note !== undefined && { platformNote: note }),
      };
    }
    const stray = watch.failure;
    // It would crash an app whatever the clause: a failure at any level.
    if (stray !== undefined) result = { ...base, status: statusFor('MUST', 'broke', strict), durationMs: 0, error: stray, meaning: STRAY_MEANING, cause: STRAY_CAUSE };
    // Counts and rates help read a failure too, so they are kept whatever the verdict.
    if (Object.keys(findings).length > 0) result.findings = findings;
    const hold = loop?.stop();
    if (hold !== undefined && result.status !== 'skipped') {
      Object.assign(result, { loopDelayMs: hold.maxMs, loopDelayCauses: hold.causes, suiteHeldMs: hold.suiteHeldMs, storeHeldMs: hold.storeHeldMs });
    }
    result.durationMs = Math.round(performance.now() - started);
    this.results.push(result);
    this.options.onClauseDone?.(result);
    return result;
  }

  /** The cause of a failure: what broke, what it means and why it usually happens, its counterexample and replay. */
  #describeFailure(clause: Clause, error: unknown): Cause {
    const details = error instanceof ClauseViolation ? error.details : {};
    // A property's failure carries what the check threw as its cause; a direct violation is its own.
    const root = error instanceof ClauseViolation ? (error.cause ?? error) : error;
    const call = rejectedCall(root);
    const failedCall = details.failedCall ?? (root instanceof ClauseViolation ? root.details.failedCall : undefined) ?? (call === undefined ? undefined : { call, error: messageOf(root) });
    let message = messageOf(error, CHECK_FAILED);
    // The harness's own account (threw synchronously, hung) already names the call.
    if (call !== undefined && !(root instanceof CallViolation)) message = `${call} rejected with ${describeThrown(root)}`;
    const { anomaly, anomalyTypes, counterexample, seed, path, shrinks, replayPath, history, faults } = details;
    const replayOptions = [`only: ['${clause.id}']`, `seed: ${seed ?? this.options.seed}`];
    if (path) replayOptions.push(`path: ${JSON.stringify(path)}`);
    if (replayPath) replayOptions.push(`replayPath: ${JSON.stringify(replayPath)}`);
    return {
      error: message,
      meaning: failedCall ? FAILED_CALL_MEANING : clause.meaning,
      ...(failedCall ? { cause: FAILED_CALL_CAUSE, failedCall } : clause.cause !== undefined && { cause: clause.cause }),
      ...(anomaly !== undefined && { anomaly, anomalyTypes: anomalyTypes ?? [anomaly] }),
      // A failure outside any property still shows what it was doing: the call that failed.
      ...(counterexample !== undefined ? { counterexample } : failedCall && { counterexample: failedCall.call }),
      ...(path && { path }),
      ...(shrinks !== undefined && { shrinks }),
      ...(history && { history }),
      ...(faults && { faults }),
      replay: `{ ${replayOptions.join(', ')} }`,
    };
  }

  report(): ConformanceReport {
    const order = new Map(clauses.map((c, i) => [c.id, i]));
    const ordered = [...this.results].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const shared = sharedCauses(ordered.filter((r) => BROKE.has(r.status)));
    const sorted = ordered.map((r) => (shared.has(r.id) ? { ...r, sharedCause: shared.get(r.id)! } : r));
    const summary = Object.fromEntries(CLAUSE_STATUSES.map((s) => [s, 0])) as Record<ClauseStatus, number>;
    for (const r of sorted) summary[r.status]++;
    const { clock, ttlResolutionMs, maxDataBytes, sharedBackend, atomicPop } = this.target;
    return {
      schemaVersion: 3,
      ok: summary.fail === 0,
      strict: this.options.strict,
      store: this.target.name,
      date: new Date().toISOString(),
      seed: this.options.seed,
      numRuns: this.options.numRuns,
      target: { clock, ttlResolutionMs, maxDataBytes, sharedBackend, atomicPop },
      capabilities: this.#probed,
      versions: packageVersions(this.target.packages),
      summary,
      clauses: sorted,
    };
  }

  /**
   * Runs every clause of the run with plain fast-check, no test runner needed, writes the report
   * files and returns the report. Clauses of a store on the system clock run concurrently, so
   * their real-time waits overlap.
   */
  async runAll(): Promise<ConformanceReport> {
    const shared = this.clauses.filter((c) => !c.exclusive);
    if (this.target.clock === 'system') await Promise.all(shared.map((c) => this.runClause(c)));
    else for (const clause of shared) await this.runClause(clause);
    // A clause that disturbs the backend never overlaps another: its faults would be theirs.
    for (const clause of this.clauses.filter((c) => c.exclusive)) await this.runClause(clause);
    await this.writeReport();
    return this.report();
  }

  /** Writes the report files when the options name a directory; returns their paths. */
  async writeReport(): Promise<string[]> {
    return this.options.report ? writeReport(this.options.report, this.report()) : [];
  }
}

/** The statuses of a clause that broke: its failure has a cause. */
const BROKE: ReadonlySet<ClauseStatus> = new Set(['fail', 'warn', 'info']);

/** Runs every selected clause with plain fast-check, no test runner needed; a bad target or option rejects. */
export async function checkConformance(target: ConformanceTarget, options?: ConformanceOptions): Promise<ConformanceReport> {
  return new ConformanceRun(target, options).runAll();
}
