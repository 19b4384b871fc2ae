/**
 * How long the event loop was held, and by whom. One probe samples the loop every millisecond
 * while any watch is on; each stretch it came back late from is split into what held it: a core
 * the process waited for (a loaded machine), garbage collection, the store's own synchronous calls,
 * and what is left, the suite's own share. A clause's watch counts only the stretches inside its
 * timed waits, so that each real-time clause reports its own, not the whole run's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { openSync, readSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { monotonicNow } from './linearizability/history.js';

// Captured at load, like monotonicNow: fake timers must not bend the probe.
const realSetInterval = setInterval;
const realClearInterval = clearInterval;

/** How often the loop is probed while a watch is on. */
const PROBE_MS = 1;
/** The stretches a watch keeps for their GC share, found only once the GC entries came in. */
const KEPT_STRETCHES = 16;

/** Why the loop was held during one stretch, in ms; the parts add up to the stretch. */
export interface LoopDelayCauses {
  /** Runnable but waiting for a core: the machine's load, nobody's code. */
  coreWaitMs: number;
  gcMs: number;
  /** Synchronous work inside the store's calls (a synchronous driver such as better-sqlite3). */
  storeMs: number;
  /** What is left: the suite's own work, and whatever else runs in the process. */
  suiteMs: number;
}

/** What a watch saw: the longest stretch and its causes, and the longest of the suite's and the store's own shares. */
export interface LoopHold {
  maxMs: number;
  causes: LoopDelayCauses;
  suiteHeldMs: number;
  storeHeldMs: number;
}

interface Stretch {
  start: number;
  end: number;
  heldMs: number;
  coreWaitMs: number;
  storeMs: number;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

// --- what the probe reads at each sample -----------------------------------------------------

/** schedstat of the thread the loop runs on, kept open: the probe reads it every millisecond. */
let schedstat: number | undefined | null;
const schedstatBytes = Buffer.alloc(128);

/** This thread's time spent runnable but waiting for a core, in ms, where Linux tells it (schedstat's second field). */
function coreWaitTotal(): number | undefined {
  if (schedstat === null) return undefined;
  try {
    schedstat ??= openSync('/proc/thread-self/schedstat', 'r');
    const length = readSync(schedstat, schedstatBytes, 0, schedstatBytes.length, 0);
    return Number(schedstatBytes.toString('latin1', 0, length).split(' ')[1]) / 1e6;
  } catch {
    // Not Linux, or no schedstat: the core's share is then counted as the suite's.
    schedstat = null;
    return undefined;
  }
}

let storeTotal = 0;
let inStoreCall = false;

/** Runs the synchronous part of a store call, timing it: the store's own share of a held loop. */
export function asStoreCall<T>(start: () => T): T {
  if (inStoreCall) return start();
  inStoreCall = true;
  const began = monotonicNow();
  try {
    return start();
  } finally {
    inStoreCall = false;
    storeTotal += monotonicNow() - began;
  }
}

/** GC pauses seen while watching, as [start, end] on the monotonic clock (performance.now's). */
const gcPauses: [number, number][] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push([entry.startTime, entry.startTime + entry.duration]);
  // Only stretches of the last minute still ask.
  const old = monotonicNow() - 60_000;
  while (gcPauses.length > 0 && gcPauses[0]![1] < old) gcPauses.shift();
});

function gcWithin(stretch: Stretch): number {
  let total = 0;
  for (const [start, end] of gcPauses) total += Math.max(0, Math.min(end, stretch.end) - Math.max(start, stretch.start));
  return Math.min(total, stretch.heldMs);
}

// --- the probe -------------------------------------------------------------------------------

const watches = new Set<LoopWatch>();
let probe: ReturnType<typeof setInterval> | undefined;
let lastProbe = 0;
let lastCoreWait: number | undefined;
let lastStore = 0;

/** Ends the stretch since the last sample: how late the loop came back, and what it knows of why at once. */
function sample(): void {
  const now = monotonicNow();
  const coreWait = coreWaitTotal();
  const heldMs = Math.max(0, now - lastProbe - PROBE_MS);
  const stretch: Stretch = {
    start: lastProbe,
    end: now,
    heldMs,
    coreWaitMs: Math.min(heldMs, coreWait !== undefined && lastCoreWait !== undefined ? coreWait - lastCoreWait : 0),
    storeMs: Math.min(heldMs, storeTotal - lastStore),
  };
  lastProbe = now;
  lastCoreWait = coreWait;
  lastStore = storeTotal;
  if (heldMs > 0) for (const watch of watches) watch.saw(stretch);
}

function startProbe(): void {
  lastProbe = monotonicNow();
  lastCoreWait = coreWaitTotal();
  lastStore = storeTotal;
  probe = realSetInterval(sample, PROBE_MS);
  probe.unref?.();
  gcObserver.observe({ entryTypes: ['gc'] });
}

function stopProbe(): void {
  realClearInterval(probe);
  gcObserver.disconnect();
}

// --- watches ---------------------------------------------------------------------------------

/**
 * The causes of `stretch`, its GC share now known. A store call or GC the process was
 * descheduled in holds the loop for the machine's sake: a core's wait comes first, then GC, then
 * the store; what is left is the suite's.
 */
function causesOf(stretch: Stretch): LoopDelayCauses {
  let left = stretch.heldMs;
  const take = (ms: number): number => {
    const taken = Math.max(0, Math.min(ms, left));
    left -= taken;
    return round(taken);
  };
  return { coreWaitMs: take(stretch.coreWaitMs), gcMs: take(gcWithin(stretch)), storeMs: take(stretch.storeMs), suiteMs: round(left) };
}

const clauseWatch = new AsyncLocalStorage<LoopWatch>();

/**
 * Measures the longest stretch the loop was held (by anyone in this process) from now until
 * `stop`: the event-loop delay a store's timers suffered meanwhile. With `onlyTimedWaits`, only
 * while some `around` call runs: a clause's own timed waits.
 */
export class LoopWatch {
  readonly #onlyTimedWaits: boolean;
  #windowStart: number;
  #open = 0;
  #longest: Stretch | undefined;
  /** The stretches whose suite share may be the largest, once GC is set aside. */
  #kept: Stretch[] = [];
  #storeHeldMs = 0;
  #stopped = false;

  constructor(options: { onlyTimedWaits?: boolean } = {}) {
    this.#onlyTimedWaits = options.onlyTimedWaits ?? false;
    this.#windowStart = monotonicNow();
    // Watching only timed waits, the probe runs only while one is in flight: it costs a read each millisecond.
    if (!this.#onlyTimedWaits) this.#attach();
  }

  #attach(): void {
    if (this.#stopped || watches.has(this)) return;
    if (watches.size === 0) startProbe();
    else sample();
    watches.add(this);
  }

  #detach(): void {
    if (watches.delete(this) && watches.size === 0) stopProbe();
  }

  /** Runs `work` as part of this watch's window; code it runs finds this watch as the clause's. */
  async around<T>(work: () => Promise<T>): Promise<T> {
    if (this.#open === 0) {
      // What came before the window is not the window's.
      if (watches.size > 0) sample();
      this.#attach();
      this.#windowStart = monotonicNow();
    }
    this.#open++;
    try {
      return await clauseWatch.run(this, work);
    } finally {
      // A stretch that ends here still belongs to the window.
      if (watches.size > 0) sample();
      if (--this.#open === 0 && this.#onlyTimedWaits) this.#detach();
    }
  }

  /** Runs `work` with this watch as the clause's: the timed waits it starts widen its window. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return clauseWatch.run(this, work);
  }

  saw(stretch: Stretch): void {
    if (this.#onlyTimedWaits && this.#open === 0) return;
    // A stretch that began before the window is counted from the window's start.
    const counted = stretch.start >= this.#windowStart ? stretch : { ...stretch, start: this.#windowStart, heldMs: Math.min(stretch.heldMs, stretch.end - this.#windowStart) };
    if (counted.heldMs <= 0) return;
    if (counted.heldMs > (this.#longest?.heldMs ?? 0)) this.#longest = counted;
    this.#storeHeldMs = Math.max(this.#storeHeldMs, Math.min(counted.storeMs, counted.heldMs - counted.coreWaitMs));
    const bound = (s: Stretch): number => s.heldMs - s.coreWaitMs - s.storeMs;
    if (this.#kept.length < KEPT_STRETCHES || bound(counted) > bound(this.#kept.at(-1)!)) {
      this.#kept.push(counted);
      this.#kept.sort((a, b) => bound(b) - bound(a));
      this.#kept.length = Math.min(this.#kept.length, KEPT_STRETCHES);
    }
  }

  /** What the watch saw so far, the stretch up to this call included. */
  get hold(): LoopHold {
    if (watches.has(this)) sample();
    const longest = this.#longest;
    return {
      maxMs: round(longest?.heldMs ?? 0),
      causes: longest ? causesOf(longest) : { coreWaitMs: 0, gcMs: 0, storeMs: 0, suiteMs: 0 },
      suiteHeldMs: Math.max(0, ...this.#kept.map((s) => causesOf(s).suiteMs)),
      storeHeldMs: round(this.#storeHeldMs),
    };
  }

  /** Stops watching (once; later calls return the same) and returns what it saw. */
  stop(): LoopHold {
    const hold = this.hold;
    this.#stopped = true;
    this.#detach();
    return hold;
  }
}

/** Runs `work` within the current clause's watch window (its timed waits), where a clause is watched. */
export function asTimedWait<T>(work: () => Promise<T>): Promise<T> {
  const watch = clauseWatch.getStore();
  return watch ? watch.around(work) : work();
}

/** Runs `work` under a LoopWatch of its own: what it resolves to, and what held the loop meanwhile. */
export async function watchLoop<T>(work: () => Promise<T>): Promise<[T, LoopHold]> {
  const watch = new LoopWatch();
  try {
    const result = await work();
    return [result, watch.stop()];
  } finally {
    // Whatever happens: a watch left on would keep probing for the rest of the process.
    watch.stop();
  }
}

/** A held loop in words: how long, and what held it. */
export function describeHold(hold: LoopHold): string {
  const { coreWaitMs, gcMs, storeMs, suiteMs } = hold.causes;
  const parts = [
    [coreWaitMs, 'waiting for a core (a loaded machine)'],
    [gcMs, 'garbage collection'],
    [storeMs, "in the store's own synchronous calls"],
    [suiteMs, "the suite's own work"],
  ] as const;
  const why = parts.filter(([ms]) => ms > 0).map(([ms, what]) => `${ms} ms ${what}`);
  return `the event loop was held for up to ${hold.maxMs} ms${why.length > 0 ? ` (${why.join(', ')})` : ''}; the suite's own share was at most ${hold.suiteHeldMs} ms`;
}
