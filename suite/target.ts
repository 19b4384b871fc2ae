import { CLAUSE_IDS, DEFAULT_MAX_DATA_BYTES, type ClauseId, type Clock, type SessionStore, type StoreDeclarations } from './contract.js';
import { resolveFaultPlan, type FaultPlan } from './faults/plan.js';
import { resolveIdDeclaration, type IdSet } from './ids.js';
import type { ConformanceOptions, ResolvedOptions } from './options.js';
import type { ReportedTarget } from './result.js';

/** How a store author describes a store to the suite when a bare instance is not enough. */
export interface StoreFactory extends StoreDeclarations {
  name: string;
  /** Opens a fresh store instance. With `clock: 'injected'` it must read time only from `ctx.clock`. */
  open(ctx: { clock: Clock }): SessionStore | Promise<SessionStore>;
  /** Default 'system'. */
  clock?: 'injected' | 'system';
  /**
   * Set by an adapter that validates input itself before the store sees it (fromExpressStore
   * does, as express-session never passes bad input): `bad-input` then tests the adapter, and its
   * result says so.
   */
  inputValidatedBy?: string;
  /** What the `faults` clause may do to the backend while clients run (see docs/faults.md). */
  faults?: FaultPlan;
  /**
   * Releases what the target itself holds (a shared client, a pool, a timer) once the run is over.
   * The session-store-conformance and session-store-bench commands call it before they exit;
   * runConformance and checkConformance leave it to you.
   */
  close?(): void | Promise<void>;
}

export type ConformanceTarget = SessionStore | StoreFactory;

export interface ResolvedTarget extends ReportedTarget {
  name: string;
  /** True when the author set maxDataBytes, which then must be enforced. */
  declaresMaxDataBytes: boolean;
  /** Packages whose versions matter to this store's report. */
  packages: readonly string[];
  inputValidatedBy: string | undefined;
  durable: boolean;
  /** The ids the store declared it accepts; undefined: every non-empty, well-formed string. */
  ids: IdSet | undefined;
  faults: FaultPlan | undefined;
  open(clock: Clock): Promise<SessionStore>;
  /** Instances the suite opened are closed by it; a store instance handed in stays open. */
  closesStores: boolean;
}

const fail = (what: string): never => {
  throw new TypeError(`session-store-conformance: ${what}`);
};

function isStore(value: object): value is SessionStore {
  const v = value as Record<string, unknown>;
  return typeof v.get === 'function' && typeof v.set === 'function' && typeof v.pop === 'function';
}

function positive(value: unknown, what: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    fail(`${what} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value as number;
}

function packageList(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name !== '')) return fail('packages must be an array of npm package names');
  return value as string[];
}

export function resolveTarget(target: unknown): ResolvedTarget {
  if (typeof target !== 'object' || target === null) {
    return fail(`the target must be a SessionStore (an object with get, set and pop methods) or { name, open(ctx) }, got ${String(target)}`);
  }
  const isFactory = typeof (target as StoreFactory).open === 'function';
  if (!isFactory && !isStore(target)) {
    return fail('the target has neither get/set/pop methods (a SessionStore) nor an open() function (a store factory)');
  }
  // A store class may declare what it promises; a factory's own fields take precedence.
  const declared: StoreDeclarations = ((target as object).constructor as { declares?: StoreDeclarations } | undefined)?.declares ?? {};
  const declarations: StoreDeclarations = isFactory ? (target as StoreFactory) : declared;
  const maxDataBytes = positive(declarations.maxDataBytes, 'maxDataBytes', true);
  const common = {
    ttlResolutionMs: positive(declarations.ttlResolutionMs, 'ttlResolutionMs', false) ?? 1,
    maxDataBytes: maxDataBytes ?? DEFAULT_MAX_DATA_BYTES,
    declaresMaxDataBytes: maxDataBytes !== undefined,
    atomicPop: declarations.atomicPop === true,
    packages: packageList(declarations.packages),
    durable: declarations.durable === true,
    ids: resolveIdDeclaration(declarations.ids, fail),
  };
  if (isFactory) {
    const factory = target as StoreFactory;
    if (typeof factory.name !== 'string' || factory.name === '') fail('a store factory needs a non-empty `name`');
    if (factory.clock !== undefined && factory.clock !== 'injected' && factory.clock !== 'system') {
      fail(`clock must be 'injected' or 'system', got ${String(factory.clock)}`);
    }
    if (factory.close !== undefined && typeof factory.close !== 'function') fail(`${factory.name}: close must be a function () => void | Promise<void>`);
    return {
      ...common,
      name: factory.name,
      clock: factory.clock ?? 'system',
      sharedBackend: factory.sharedBackend === true,
      inputValidatedBy: factory.inputValidatedBy,
      faults: resolveFaultPlan(factory.faults, fail),
      open: async (clock) => {
        const store = await factory.open({ clock });
        if (typeof store !== 'object' || store === null || !isStore(store)) {
          fail(`${factory.name}: open() must return a SessionStore with get, set and pop methods`);
        }
        return store;
      },
      closesStores: true,
    };
  }
  const name = (target as object).constructor?.name;
  return {
    ...common,
    name: name && name !== 'Object' ? name : 'store',
    clock: 'system',
    // One instance is one backend connection: there is no second instance to share it with.
    sharedBackend: false,
    inputValidatedBy: undefined,
    faults: undefined,
    open: async () => target as SessionStore,
    closesStores: false,
  };
}

export function resolveOptions(options: unknown = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) return fail(`options must be an object, got ${String(options)}`);
  const o = options as ConformanceOptions;
  const known = new Set<string>(['numRuns', 'seed', 'path', 'replayPath', 'only', 'skip', 'report', 'operationTimeoutMs', 'strict', 'onClauseDone']);
  for (const key of Object.keys(o)) if (!known.has(key)) fail(`unknown option "${key}"; known options: ${[...known].join(', ')}`);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) fail(`seed must be an integer, got ${String(o.seed)}`);
  const envSeed = process.env.SESSION_CONFORMANCE_SEED;
  if (envSeed && !/^-?\d+$/.test(envSeed)) fail(`SESSION_CONFORMANCE_SEED must be an integer, got "${envSeed}"`);
  if (o.path !== undefined && (typeof o.path !== 'string' || !/^\d+(:\d+)*$/.test(o.path))) {
    fail(`path must be a fast-check replay path such as "3:0:1", got ${String(o.path)}`);
  }
  if (o.replayPath !== undefined && typeof o.replayPath !== 'string') fail('replayPath must be the string printed with a model failure');
  const clauseList = (list: unknown, what: string): ClauseId[] | undefined => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) return fail(`${what} must be an array of clause ids`);
    for (const id of list) {
      if (!(CLAUSE_IDS as readonly unknown[]).includes(id)) fail(`${what} names unknown clause "${String(id)}"; clause ids: ${CLAUSE_IDS.join(', ')}`);
    }
    return list as ClauseId[];
  };
  const only = clauseList(o.only, 'only');
  const skip = new Set(clauseList(o.skip, 'skip'));
  const clauses = new Set((only ?? CLAUSE_IDS).filter((id) => !skip.has(id)));
  if (o.report !== undefined && o.report !== false && (typeof o.report !== 'string' || o.report === '')) {
    fail('report must be a directory path or false');
  }
  if (o.onClauseDone !== undefined && typeof o.onClauseDone !== 'function') fail('onClauseDone must be a function (result) => void');
  if (o.strict !== undefined && typeof o.strict !== 'boolean') fail(`strict must be true or false, got ${String(o.strict)}`);
  const envStrict = process.env.SESSION_CONFORMANCE_STRICT ?? '';
  if (!['', '0', '1'].includes(envStrict)) fail(`SESSION_CONFORMANCE_STRICT must be 1 or 0, got "${envStrict}"`);
  const report = o.report === false ? undefined : (o.report ?? (process.env.SESSION_CONFORMANCE_REPORT_DIR || undefined));
  return {
    numRuns: positive(o.numRuns, 'numRuns', true) ?? 50,
    // Keep seeds in fast-check's 32-bit range so a printed seed replays exactly.
    seed: o.seed ?? (envSeed ? Number(envSeed) : (Math.random() * 2 ** 31) | 0),
    path: o.path,
    replayPath: o.replayPath,
    clauses,
    report,
    operationTimeoutMs: positive(o.operationTimeoutMs, 'operationTimeoutMs', false) ?? 10_000,
    strict: o.strict ?? envStrict === '1',
    onClauseDone: o.onClauseDone,
  };
}
