/**
 * What of a long violation a person needs to see: where the search got stuck, the operations in
 * flight with it and a few called just before it, and the operations the anomaly's name and the
 * register's last value rest on, wherever they are; everything else only counted. A hot
 * session's history holds thousands of operations, and a failure that prints them all is not read.
 */
import type { Operation } from './history.js';
import { stuckAt, type Violation } from './check.js';

/** Operations on the excerpt's time axis at most, and how many of them may come before the stuck one. */
const WINDOW = 12;
const BEFORE = 4;
/** The longest prefix's last operations listed; the rest are counted. */
const PREFIX_TAIL = 5;

/** In call order: the window on its own time axis, operations far from it, and runs left out. */
export type Line =
  | { kind: 'window'; ops: Operation[] }
  | { kind: 'far'; op: Operation; side: 'before' | 'after' }
  /** `placed`: how many of them are in the longest linearizable prefix. */
  | { kind: 'elided'; count: number; placed: number; side: 'before' | 'after' };

export interface Excerpt {
  /** The first operation the longest prefix could not place, when there is one. */
  stuck: Operation | undefined;
  /** The prefix's last successful write or pop: what the register held when the search got stuck. */
  lastChange: Operation | undefined;
  lines: Line[];
  /** The longest prefix's last operations, and how many came before them. */
  prefix: { tail: Operation[]; elided: number };
}

const changes = (op: Operation): boolean => op.error === undefined && (op.op === 'set' || ((op.op === 'update' || op.op === 'pop') && op.output !== undefined));

export function excerpt(v: Violation): Excerpt {
  const placed = new Set(v.longestPrefix);
  const byCall = [...v.ops].sort((a, b) => a.call - b.call);
  const stuck = stuckAt(v.ops, placed);
  // Without a stuck operation (a violation built by hand), the end of the history.
  const at = stuck ? byCall.indexOf(stuck) : byCall.length - 1;
  const start = Math.max(0, at - BEFORE);
  // Then every operation called before it returned (each one the search tried there), as room allows.
  const until = stuck?.ret ?? -Infinity;
  let end = at;
  while (end + 1 < byCall.length && end + 1 - start < WINDOW && byCall[end + 1]!.call < until) end++;
  const lastChange = v.longestPrefix.findLast(changes);
  const far = [...new Set([...(v.evidence ?? []), ...(lastChange ? [lastChange] : [])])]
    .map((op) => byCall.indexOf(op))
    .filter((i) => i >= 0 && (i < start || i > end))
    .sort((a, b) => a - b);

  const lines: Line[] = [];
  let next = 0;
  const skipTo = (i: number, side: 'before' | 'after') => {
    const left = byCall.slice(next, i);
    if (left.length > 0) lines.push({ kind: 'elided', count: left.length, placed: left.filter((op) => placed.has(op)).length, side });
  };
  for (const i of far.filter((i) => i < start)) {
    skipTo(i, 'before');
    lines.push({ kind: 'far', op: byCall[i]!, side: 'before' });
    next = i + 1;
  }
  skipTo(start, 'before');
  lines.push({ kind: 'window', ops: byCall.slice(start, end + 1) });
  next = end + 1;
  for (const i of far.filter((i) => i > end)) {
    skipTo(i, 'after');
    lines.push({ kind: 'far', op: byCall[i]!, side: 'after' });
    next = i + 1;
  }
  skipTo(byCall.length, 'after');

  // A count in place of a single operation saves no line.
  const tail = v.longestPrefix.length > PREFIX_TAIL + 1 ? v.longestPrefix.slice(-PREFIX_TAIL) : v.longestPrefix;
  return { stuck, lastChange, lines, prefix: { tail, elided: v.longestPrefix.length - tail.length } };
}
