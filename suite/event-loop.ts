/**
 * The suite's share of the event loop. A store's expiry timers run on the loop the suite runs on:
 * while the suite computes (generating and shrinking values, checking histories, chaining awaits
 * over promises that resolve at once, which are microtasks and never let a timer fire) they
 * cannot fire, and a real-time check would blame the store for the suite's own load. So the suite
 * lets the loop turn often, lets due timers fire before it judges expiry, and measures how long
 * the loop was held while real-time clauses ran.
 */
import { monotonicNow } from './linearizability/history.js';
import { asTimedWait } from './loop-watch.js';
import { currentWatch } from './strays.js';

// Captured at load, like monotonicNow: fake timers must not bend the suite's waits.
const realSetTimeout = setTimeout;
const realSetImmediate = setImmediate;

/** The longest the suite computes without letting the loop turn, where it can choose. */
const PACE_MS = 2;

/** When the loop last came back to the suite: a turn's slice of pacing counts from there. */
let lastTurn = monotonicNow();

/** One turn of the loop: timers that are due and pending I/O run before this resolves. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** A caller of pace waiting for its share of a turn, first come first served, with the clause it runs for. */
interface Waiter {
  lane: Lane;
  resume: () => void;
}
/** The clause a paced call runs for (its stray watch), or none outside a clause. */
type Lane = object | undefined;
const waiting: Waiter[] = [];
let turnScheduled = false;
/**
 * The clause whose paced calls are running: another clause's go once what it set off in
 * microtasks has run; its own go at once, since a clause racing calls against each other must not
 * have them taken in turns (a get-then-delete pop would never interleave with another).
 */
let running: { lane: Lane } | undefined;

/**
 * Lets the loop turn when the suite has held it for more than a couple of milliseconds. Paced
 * callers share each turn: one clause at a time, until the turn's slice is spent, and the rest
 * wait for the next turn. (Resumed all in one turn, concurrent clauses ran all their store calls
 * back to back, and a store's timers waited for every one of them.)
 */
export function pace(): Promise<void> {
  // Right after a deliberate hold nobody waits: what comes next is the point of the hold.
  if (lastTurn === Number.POSITIVE_INFINITY) return Promise.resolve();
  const lane = currentWatch();
  const sliceLeft = monotonicNow() - lastTurn < PACE_MS;
  if (sliceLeft && (running ? running.lane === lane : waiting.length === 0)) {
    if (!running) run(lane);
    return Promise.resolve();
  }
  return new Promise((resume) => {
    waiting.push({ lane, resume });
    if (!running) scheduleTurn();
  });
}

function run(lane: Lane): void {
  running = { lane };
  // A tick queued from a microtask runs once the microtasks have run out: all the clause set off at once.
  queueMicrotask(() => process.nextTick(passOn));
}

/** Resumes the next waiting clause's calls while the turn's slice lasts; else the rest wait for the next turn. */
function passOn(): void {
  running = undefined;
  if (waiting.length === 0) return;
  if (monotonicNow() - lastTurn >= PACE_MS) return scheduleTurn();
  const { lane } = waiting[0]!;
  run(lane);
  // Every call of that clause that waits goes together: they were set off to race each other.
  for (let i = 0; i < waiting.length; ) {
    if (waiting[i]!.lane === lane) waiting.splice(i, 1)[0]!.resume();
    else i++;
  }
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  realSetImmediate(() => {
    turnScheduled = false;
    lastTurn = monotonicNow();
    if (!running) passOn();
  });
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

/**
 * Marks real-time waits in flight for as long as `work` runs: heavy work elsewhere waits for them,
 * and the clause's loop watch counts what held the loop meanwhile.
 */
export async function whileWaitingOnTime<T>(work: () => Promise<T>): Promise<T> {
  while (held) await held;
  timedWaits++;
  try {
    return await asTimedWait(work);
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
