/**
 * The suite's share of the event loop. A store's expiry timers run on the loop the suite runs on:
 * while the suite computes (generating and shrinking values, checking histories, chaining awaits
 * over promises that resolve at once, which are microtasks and never let a timer fire) they
 * cannot fire, and a real-time check would blame the store for the suite's own load. So the suite
 * lets the loop turn often, lets due timers fire before it judges expiry, and measures how long
 * the loop was held while real-time clauses ran.
 */
import { monotonicNow } from './linearizability/history.js';

// Captured at load, like monotonicNow: fake timers must not bend the suite's waits.
const realSetTimeout = setTimeout;
const realSetImmediate = setImmediate;
const realSetInterval = setInterval;
const realClearInterval = clearInterval;

/** The longest the suite computes without letting the loop turn, where it can choose. */
const PACE_MS = 2;
/** How often the loop is probed while a watch is on. */
const PROBE_MS = 1;

let lastTurn = monotonicNow();

/** One turn of the loop: timers that are due and pending I/O run before this resolves. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** Lets the loop turn when the suite has held it for more than a couple of milliseconds. */
export async function pace(): Promise<void> {
  if (monotonicNow() - lastTurn < PACE_MS) return;
  await nextTurn();
  lastTurn = monotonicNow();
}

/**
 * Resolves once every timer that is due now has run: a store's expiry timers get their turn
 * before a read that judges them. A timer callback of the suite may run before a store's timer
 * that is due in the same turn; the immediate after it runs only once that turn's timers all ran.
 */
export async function settle(): Promise<void> {
  await new Promise((resolve) => realSetTimeout(resolve, 0));
  await nextTurn();
  lastTurn = monotonicNow();
}

/** Holds the loop for `durationMs`, as an app busy with synchronous work does. */
export function holdLoopFor(durationMs: number): void {
  const until = monotonicNow() + durationMs;
  // A sleep, not a spin: the loop is held the same, without taking a core from the store's backend.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let left = durationMs; left > 0; left = until - monotonicNow()) Atomics.wait(cell, 0, 0, Math.ceil(left));
  // What comes right after a busy stretch is the point of holding it: pace must not turn the loop
  // first (not even when the process is descheduled meanwhile), until the loop has turned by itself.
  lastTurn = Number.POSITIVE_INFINITY;
  // Once the loop has turned by itself, pacing is back on, whether or not a timed wait comes next.
  realSetImmediate(() => {
    lastTurn = monotonicNow();
  });
}

let timedWaits = 0;
const quiet: (() => void)[] = [];
/** Set while a clause holds the loop on purpose: no real-time wait starts meanwhile. */
let held: Promise<void> | undefined;

/** Marks real-time waits in flight for as long as `work` runs: heavy work elsewhere waits for them. */
export async function whileWaitingOnTime<T>(work: () => Promise<T>): Promise<T> {
  while (held) await held;
  timedWaits++;
  try {
    return await work();
  } finally {
    if (--timedWaits === 0) for (const resolve of quiet.splice(0)) resolve();
  }
}

/**
 * Resolves once no real-time wait is in flight: long synchronous work (checking large histories,
 * generating and moving megabytes) goes there, off the timing path, instead of holding the loop
 * under another clause's deadlines.
 */
export function offTheTimingPath(): Promise<void> {
  return timedWaits === 0 ? Promise.resolve() : new Promise((resolve) => quiet.push(resolve));
}

/**
 * Runs `work`, which holds the loop on purpose, once no real-time wait is in flight in this
 * process (another conformance run's included), and lets none start until it is done.
 */
export async function withLoopToItself<T>(work: () => Promise<T>): Promise<T> {
  while (held || timedWaits > 0) await (held ?? offTheTimingPath());
  let release = (): void => undefined;
  held = new Promise((resolve) => (release = resolve));
  try {
    return await work();
  } finally {
    held = undefined;
    release();
  }
}

type Listener = (lag: number, now: number) => void;
const listeners = new Set<Listener>();
let probe: ReturnType<typeof setInterval> | undefined;
let lastProbe = 0;

/** How late the loop came back to the probe: what a timer of the store due meanwhile waited. */
function sample(): void {
  const now = monotonicNow();
  const lag = Math.max(0, now - lastProbe - PROBE_MS);
  lastProbe = now;
  lastTurn = now;
  for (const listener of listeners) listener(lag, now);
}

/**
 * Measures the longest stretch the loop was held (by anyone in this process) from now until
 * `stop`: the event-loop delay a store's timers suffered meanwhile. One probe serves every watch.
 */
export class LoopWatch {
  readonly #start = monotonicNow();
  #max = 0;
  readonly #listener: Listener = (lag, now) => {
    // A stretch that began before this watch did is counted only from the watch's start.
    this.#max = Math.max(this.#max, Math.min(lag, now - this.#start));
  };

  constructor() {
    if (listeners.size === 0) {
      lastProbe = this.#start;
      probe = realSetInterval(sample, PROBE_MS);
      probe.unref?.();
    }
    listeners.add(this.#listener);
  }

  /** The longest delay so far, in ms rounded to 0.1; counts the stretch up to this call too. */
  get maxMs(): number {
    sample();
    return Math.round(this.#max * 10) / 10;
  }

  /** Stops watching (once; later calls return the same) and returns the longest delay. */
  stop(): number {
    if (!listeners.has(this.#listener)) return Math.round(this.#max * 10) / 10;
    const max = this.maxMs;
    listeners.delete(this.#listener);
    if (listeners.size === 0) realClearInterval(probe);
    return max;
  }
}

/** Runs `work` under a LoopWatch: what it resolves to, and the longest the loop was held meanwhile. */
export async function watchLoop<T>(work: () => Promise<T>): Promise<[T, number]> {
  const watch = new LoopWatch();
  try {
    const result = await work();
    return [result, watch.stop()];
  } finally {
    // Whatever happens: a watch left on would keep probing for the rest of the process.
    watch.stop();
  }
}
