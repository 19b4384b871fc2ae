/**
 * A linearizability checker for session-store histories: Wing & Gong's search with Lowe's
 * memoisation of (linearized set, model state), as porcupine does it, over each session id on its
 * own (linearizability is compositional). The model is nondeterministic where time is uncertain:
 * a deadline is only known within a window, so an operation near it may see the session live or
 * expired, and a failed write may or may not have happened.
 */
import type { SessionData } from './contract.js';
import type { History, Operation } from './history.js';
import { jsonEqual, preview } from './json-equal.js';

export interface CheckOptions {
  /** How far expiry may fire before call + ttl or after ret + ttl (the target's TTL resolution). */
  toleranceMs?: number;
}

export type Anomaly = 'double pop' | 'resurrection after pop' | 'resurrection after expiry' | 'lost write' | 'flip-flop' | 'stale read' | 'not linearizable';

export interface Violation {
  id: string;
  anomaly: Anomaly;
  ops: Operation[];
  /** The longest order of operations the model accepts before it gets stuck. */
  longestPrefix: Operation[];
}

export interface CheckResult {
  ok: boolean;
  operations: number;
  violations: Violation[];
}

/** One possible model state: absent, or present with a deadline somewhere in [lo, hi]. */
type State = { present: false } | { present: true; value: SessionData; json: string; lo: number; hi: number };

const ABSENT: State = { present: false };
const keyOf = (s: State): string => (s.present ? `${s.lo}|${s.hi}|${s.json}` : '-');

function present(value: SessionData, op: Operation, tolerance: number): State {
  const ttl = op.input.ttlMs!;
  const ret = op.error === undefined ? op.ret : Infinity;
  return { present: true, value, json: JSON.stringify(value), lo: op.call + ttl - tolerance, hi: ret + ttl + tolerance };
}

/** Whether the session can be live, and can be expired, where `op` takes effect. */
function liveness(state: State, op: Operation): { live: boolean; expired: boolean } {
  if (!state.present) return { live: false, expired: true };
  const ret = op.error === undefined ? op.ret : Infinity;
  return { live: op.call < state.hi, expired: ret >= state.lo };
}

/** The states `op` can lead to from `state` while producing its recorded output. */
function step(state: State, op: Operation, tolerance: number): State[] {
  const failed = op.error !== undefined;
  const accepts = (expected: unknown) => failed || jsonEqual(op.output, expected);
  const { live, expired } = liveness(state, op);
  const next: State[] = failed ? [state] : []; // a failed write may not have happened at all
  const value = state.present ? state.value : undefined;
  switch (op.op) {
    case 'set':
      next.push(present(op.input.data!, op, tolerance));
      break;
    case 'get':
      if (live && accepts(value)) next.push(state);
      if (expired && accepts(undefined)) next.push(ABSENT);
      break;
    case 'pop':
      if (live && accepts(value)) next.push(ABSENT);
      if (expired && accepts(undefined)) next.push(ABSENT);
      break;
    case 'touch':
      if (live && accepts(true)) next.push(present(value!, op, tolerance));
      if (expired && accepts(false)) next.push(ABSENT);
      break;
    case 'update': {
      if (live) {
        const updated = op.input.fn!(structuredClone(value!));
        if (accepts(updated)) next.push(present(updated, op, tolerance));
      }
      if (expired && accepts(undefined)) next.push(ABSENT);
      break;
    }
  }
  return next;
}

function stepAll(states: State[], op: Operation, tolerance: number): State[] {
  const seen = new Map<string, State>();
  for (const state of states) for (const next of step(state, op, tolerance)) seen.set(keyOf(next), next);
  return [...seen.values()];
}

interface Entry {
  op: number;
  isCall: boolean;
  time: number;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

function buildList(ops: Operation[]): Entry {
  const entries: Entry[] = [];
  ops.forEach((op, i) => {
    const call: Entry = { op: i, isCall: true, time: op.call, match: null, prev: null, next: null };
    const ret: Entry = { op: i, isCall: false, time: op.error === undefined ? op.ret : Infinity, match: null, prev: null, next: null };
    call.match = ret;
    entries.push(call, ret);
  });
  // Calls before returns at equal times: simultaneous operations are treated as concurrent.
  entries.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall));
  const head: Entry = { op: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const entry of entries) {
    last.next = entry;
    entry.prev = last;
    last = entry;
  }
  return head;
}

function lift(entry: Entry): void {
  for (const e of [entry, entry.match!]) {
    e.prev!.next = e.next;
    if (e.next) e.next.prev = e.prev;
  }
}

function unlift(entry: Entry): void {
  for (const e of [entry.match!, entry]) {
    e.prev!.next = e;
    if (e.next) e.next.prev = e;
  }
}

/** Searches for a linearization of one session's operations; returns the longest prefix found on failure. */
function linearize(ops: Operation[], tolerance: number): { ok: true } | { ok: false; longest: number[] } {
  const head = buildList(ops);
  const optional = ops.map((op) => op.error !== undefined);
  let required = optional.filter((o) => !o).length;
  let states: State[] = [ABSENT];
  let linearized = 0n;
  const cache = new Set<string>();
  const stack: { entry: Entry; states: State[] }[] = [];
  let longest: number[] = [];
  let entry = head.next;
  for (;;) {
    if (required === 0) return { ok: true };
    if (entry === null) return { ok: false, longest };
    if (entry.isCall) {
      const next = stepAll(states, ops[entry.op]!, tolerance);
      if (next.length > 0) {
        const bits = linearized | (1n << BigInt(entry.op));
        const key = `${bits.toString(36)}#${next.map(keyOf).sort().join(',')}`;
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ entry, states });
          states = next;
          linearized = bits;
          if (!optional[entry.op]) required--;
          lift(entry);
          if (stack.length > longest.length) longest = stack.map((s) => s.entry.op);
          entry = head.next;
          continue;
        }
      }
      entry = entry.next;
    } else {
      // An operation returned before any order could place it: undo the last choice.
      const top = stack.pop();
      if (!top) return { ok: false, longest };
      states = top.states;
      linearized &= ~(1n << BigInt(top.entry.op));
      if (!optional[top.entry.op]) required++;
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
}

const sawSession = (op: Operation): boolean =>
  op.error === undefined && (op.op === 'touch' ? op.output === true : op.op !== 'set' && op.output !== undefined);
const sawAbsent = (op: Operation): boolean =>
  op.error === undefined && (op.op === 'touch' ? op.output === false : op.op !== 'set' && op.output === undefined);
/** `w` could take effect after `a` started and before `b` returned. */
const between = (w: Operation, a: Operation, b: Operation): boolean => w.ret > a.call && w.call < b.ret;
const writes = (op: Operation): boolean => op.op === 'set' || (op.op === 'update' && op.output !== undefined);
const written = (op: Operation): unknown => (op.op === 'set' ? op.input.data : op.output);

/** Names what went wrong, from the most specific pattern to the most general. */
export function classify(ops: Operation[], tolerance = 0): Anomaly {
  const done = ops.filter((o) => o.error === undefined).sort((a, b) => a.call - b.call);
  const pops = done.filter((o) => o.op === 'pop' && o.output !== undefined);
  for (const [i, p1] of pops.entries()) {
    for (const p2 of pops.slice(i + 1)) {
      if (jsonEqual(p1.output, p2.output) && !done.some((w) => writes(w) && w.call > p1.call && between(w, p1, p2))) return 'double pop';
    }
  }
  for (const q of done.filter(sawSession)) {
    if (pops.some((p) => p.ret < q.call && !done.some((w) => writes(w) && between(w, p, q)))) return 'resurrection after pop';
    const extenders = done.filter((w) => (writes(w) || (w.op === 'touch' && w.output === true)) && w.call < q.ret);
    const latestDeadline = Math.max(-Infinity, ...extenders.map((w) => w.ret + w.input.ttlMs! + tolerance));
    if (extenders.length > 0 && q.call >= latestDeadline) return 'resurrection after expiry';
  }
  const gets = done.filter((o) => o.op === 'get');
  for (const g1 of gets.filter(sawAbsent)) {
    if (gets.some((g2) => sawSession(g2) && g2.call > g1.ret && !done.some((w) => writes(w) && between(w, g1, g2)))) return 'flip-flop';
  }
  for (const s of done.filter(writes)) {
    for (const q of done.filter((o) => sawAbsent(o) && o.call > s.ret && o.ret < s.call + s.input.ttlMs! - tolerance)) {
      const removedBy = done.some((p) => p.op === 'pop' && between(p, s, q) && jsonEqual(p.output, written(s)));
      const replacedBy = done.some((w) => w !== s && writes(w) && between(w, s, q));
      if (!removedBy && !replacedBy) return 'lost write';
    }
  }
  for (const q of done.filter((o) => sawSession(o) && o.op !== 'touch')) {
    const sources = done.filter((w) => writes(w) && jsonEqual(written(w), q.output));
    const newer = done.find((w) => writes(w) && w.ret < q.call && !jsonEqual(written(w), q.output) && sources.every((s) => s.ret < w.call));
    if (newer) return 'stale read';
  }
  return 'not linearizable';
}

export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  const tolerance = options.toleranceMs ?? 0;
  const byId = new Map<string, Operation[]>();
  // A failed read changed nothing and tells nothing.
  for (const op of history) if (!(op.op === 'get' && op.error !== undefined)) byId.set(op.id, [...(byId.get(op.id) ?? []), op]);
  const violations: Violation[] = [];
  for (const [id, ops] of byId) {
    const result = linearize(ops, tolerance);
    if (!result.ok) violations.push({ id, anomaly: classify(ops, tolerance), ops, longestPrefix: result.longest.map((i) => ops[i]!) });
  }
  return { ok: violations.length === 0, operations: history.length, violations };
}

/** One operation, without its id: a violation concerns one session, named in its header. */
function describeOp(op: Operation): string {
  const args: string[] = [];
  if (op.op === 'set') args.push(preview(op.input.data, 60));
  if (op.op === 'update') args.push(op.input.fnLabel ?? 'fn');
  if (op.input.ttlMs !== undefined) args.push(String(op.input.ttlMs));
  const result = op.error !== undefined ? `✗ ${op.error}` : op.op === 'set' ? 'ok' : preview(op.output, 60);
  return `${op.op}(${args.join(', ')}) → ${result}`;
}

/** The session's operations as intervals on one time axis, a row each, grouped by client. */
export function timeline(ops: Operation[], width = 40): string {
  const start = Math.min(...ops.map((o) => o.call));
  const end = Math.max(...ops.map((o) => (Number.isFinite(o.ret) ? o.ret : o.call)));
  const scale = (t: number) => Math.round(((Math.min(t, end) - start) / Math.max(end - start, 1e-9)) * (width - 1));
  const rows = [...ops].sort((a, b) => a.client - b.client || a.call - b.call);
  return rows
    .map((op) => {
      const from = scale(op.call);
      const to = Math.max(from, scale(op.ret));
      const bar = `${' '.repeat(from)}[${'-'.repeat(Math.max(0, to - from - 1))}${to > from ? ']' : ''}`.padEnd(width + 1);
      return `  client ${op.client} ${bar} ${describeOp(op)}`;
    })
    .join('\n');
}

/** `context` (which race, which run) goes into the header line, which reports show on its own. */
export function describeViolation(v: Violation, context?: string): string {
  const prefix = v.longestPrefix.length ? v.longestPrefix.map((op) => `    client ${op.client}: ${describeOp(op)}`).join('\n') : '    (none)';
  return [
    `${v.anomaly} on session ${JSON.stringify(v.id)}${context ? ` (${context})` : ''}: no order of these operations is consistent with a single session register`,
    timeline(v.ops),
    `  longest linearizable prefix (${v.longestPrefix.length} of ${v.ops.length} operations):`,
    prefix,
  ].join('\n');
}
