/**
 * What the test-runner bindings share (vitest, node:test, mocha, jest): one test per clause, named
 * alike in every runner, and each clause's verdict turned into what its test shows.
 */
import type { Clause } from './clause.js';
import type { ClauseId } from './contract.js';
import { ConformanceRun } from './run.js';
import { formatClauseResult } from './format.js';
import type { ClauseResult } from './result.js';
import type { ConformanceTarget } from './target.js';
import type { ConformanceOptions } from './options.js';

/** A clause's test may wait on real time, and in a serial runner on the clauses running beside it. */
export const CLAUSE_TIMEOUT_MS = 120_000;

export const suiteName = (store: string): string => `session store conformance: ${store}`;

export const testName = (clause: { id: ClauseId; title: string }): string => `[${clause.id}] ${clause.title}`;

/**
 * What a clause's test shows. A note passes the test, visibly: a `warning` for a SHOULD failure or
 * a check that could not judge, a `notice` for what an INFO clause found.
 */
export type ClauseOutcome =
  | { kind: 'pass' }
  | { kind: 'fail'; message: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'note'; severity: 'warning' | 'notice'; status: 'warn' | 'inconclusive' | 'info' | 'pass'; message: string };

export function outcomeOf(store: string, result: ClauseResult): ClauseOutcome {
  switch (result.status) {
    case 'pass':
      return result.level === 'INFO' && result.findings ? { kind: 'note', severity: 'notice', status: 'pass', message: `[${result.id}] ${JSON.stringify(result.findings)}` } : { kind: 'pass' };
    case 'fail':
      return { kind: 'fail', message: formatClauseResult(store, result) };
    case 'skipped':
      return { kind: 'skip', reason: result.reason ?? 'does not apply to this store' };
    default:
      return { kind: 'note', severity: result.status === 'info' ? 'notice' : 'warning', status: result.status, message: formatClauseResult(store, result) };
  }
}

/**
 * A conformance run for a runner that runs a file's tests one after another (node:test, mocha,
 * jest). Each test awaits its own clause, while the clauses run as the vitest binding runs them:
 * on the system clock the first test starts every clause that may overlap, so their real-time
 * waits overlap as they do under vitest's describe.concurrent; a clause that disturbs the backend
 * runs alone, after the clauses started before it.
 */
export class SerialBinding {
  readonly run: ConformanceRun;
  readonly #started = new Map<ClauseId, Promise<ClauseResult>>();

  /** Invalid targets and options throw here, at collection time, with the reason. */
  constructor(target: ConformanceTarget, options?: ConformanceOptions) {
    this.run = new ConformanceRun(target, options);
  }

  async outcome(clause: Clause): Promise<ClauseOutcome> {
    return outcomeOf(this.run.target.name, await this.#result(clause));
  }

  /**
   * A skip that the target alone decides (a clock, a declaration), known before the store is
   * opened: for a runner that can skip a test only when registering it. The store's optional
   * methods are taken as present, so only skips that hold whatever the store implements show.
   */
  skipBeforeOpening(clause: Clause): string | undefined {
    return clause.skipReason?.({ touch: true, update: true, createId: true }, this.run.target);
  }

  #result(clause: Clause): Promise<ClauseResult> {
    const started = this.#started.get(clause.id);
    if (started) return started;
    if (!clause.exclusive && this.run.target.clock === 'system') {
      for (const c of this.run.clauses) if (!c.exclusive && !this.#started.has(c.id)) this.#started.set(c.id, this.run.runClause(c));
      return this.#started.get(clause.id)!;
    }
    // runClause settles with a result whatever the store does, so waiting on it never throws.
    const before = [...this.#started.values()];
    const result = Promise.all(before).then(() => this.run.runClause(clause));
    this.#started.set(clause.id, result);
    return result;
  }

  /**
   * After the last test: runs the clauses skipped at registration (so the report lists them), waits
   * for clause work still under way, and writes the report files; returns their paths.
   */
  async finish(): Promise<string[]> {
    for (const clause of this.run.clauses) {
      if (!this.#started.has(clause.id) && this.skipBeforeOpening(clause) !== undefined) this.#started.set(clause.id, this.run.runClause(clause));
    }
    await Promise.all(this.#started.values());
    return this.run.writeReport();
  }
}

/**
 * The functions a runner defines as globals while it loads a test file (mocha's BDD interface,
 * jest's globals), or an error saying how to run the file.
 */
export function runnerGlobals<T>(names: readonly (keyof T & string)[], howToRun: string): T {
  const globals = globalThis as Record<string, unknown>;
  if (names.every((name) => typeof globals[name] === 'function')) return globalThis as T;
  throw new Error(`session-store-conformance: ${names.join(', ')} are not defined here: ${howToRun}`);
}

/** The line a binding prints once the report files are written. */
export const reportLine = (files: string[]): string | undefined => (files.length > 0 ? `conformance report: ${files.join(', ')}` : undefined);
