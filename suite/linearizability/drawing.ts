/**
 * A violation as data for the HTML report: the session's operations in call order, each marked
 * with its place in the longest linearizable prefix, the stuck one, the evidence and the deadline
 * windows of its writes. A hot session's history keeps an excerpt around where the search got
 * stuck, with the evidence wherever it lies, so that the report stays small enough to attach.
 */
import type { DrawnOperation, HistoryDrawing } from '../drawing.js';
import { preview } from '../json-equal.js';
import { deadlineWindow } from './deadline.js';
import type { Operation } from './history.js';
import { stuckAt, type Violation } from './check.js';

/** Operations drawn at most; past this, this many around the stuck one (most of them before it). */
const MAX_DRAWN = 400;
const BEFORE_SHARE = 0.75;

const isChange = (op: Operation): boolean => op.error === undefined && (op.op === 'set' || ((op.op === 'update' || op.op === 'pop') && op.output !== undefined));

function argsOf(op: Operation): string {
  const args: string[] = [];
  if (op.op === 'set') args.push(preview(op.input.data, 120));
  if (op.op === 'update') args.push(op.input.fnLabel ?? 'fn');
  if (op.input.ttlMs !== undefined) args.push(`ttl ${op.input.ttlMs}`);
  return args.join(', ');
}

const resultOf = (op: Operation): string => (op.error !== undefined ? `✗ ${op.error}` : op.op === 'set' ? 'ok' : preview(op.output, 120));

/** A sequence clock counts whole steps; real time never lands on whole milliseconds throughout. */
const clockOf = (ops: Operation[]): HistoryDrawing['clock'] => (ops.every((op) => Number.isInteger(op.call) && Number.isInteger(op.ret)) ? 'logical' : 'ms');

export function drawViolation(v: Violation, options: { toleranceMs?: number; context?: string } = {}): HistoryDrawing {
  const tolerance = options.toleranceMs ?? 0;
  const byCall = [...v.ops].sort((a, b) => a.call - b.call);
  const prefixIndex = new Map(v.longestPrefix.map((op, i) => [op, i]));
  const stuck = stuckAt(v.ops, new Set(v.longestPrefix));
  const evidence = new Set(v.evidence ?? []);
  const lastChange = v.longestPrefix.findLast(isChange);
  let from = 0;
  let to = byCall.length;
  if (byCall.length > MAX_DRAWN) {
    const at = stuck ? byCall.indexOf(stuck) : byCall.length - 1;
    from = Math.max(0, Math.min(at - Math.round(MAX_DRAWN * BEFORE_SHARE), byCall.length - MAX_DRAWN));
    to = from + MAX_DRAWN;
  }
  const marked = (op: Operation) => op === stuck || evidence.has(op) || op === lastChange;
  const drawn: DrawnOperation[] = [];
  byCall.forEach((op, index) => {
    if ((index < from || index >= to) && !marked(op)) return;
    const ttl = op.input.ttlMs;
    drawn.push({
      index,
      client: op.client,
      op: op.op,
      args: argsOf(op),
      result: resultOf(op),
      call: op.call,
      ret: op.ret,
      ...(prefixIndex.has(op) && { prefixIndex: prefixIndex.get(op)! }),
      ...(op === stuck && { stuck: true as const }),
      ...(evidence.has(op) && { evidence: true as const }),
      ...(op === lastChange && { lastChange: true as const }),
      ...(ttl !== undefined && op.op !== 'get' && op.op !== 'pop' && op.error === undefined && { deadline: deadlineWindow(op, ttl, tolerance) }),
    });
  });
  const outside = (side: 'before' | 'after') => byCall.filter((op, i) => (side === 'before' ? i < from : i >= to) && !marked(op)).length;
  return {
    session: v.id,
    anomaly: v.anomaly,
    ...(options.context !== undefined && { context: options.context }),
    clock: clockOf(v.ops),
    toleranceMs: tolerance,
    operations: drawn,
    total: v.ops.length,
    prefixLength: v.longestPrefix.length,
    omitted: { before: outside('before'), after: outside('after') },
  };
}
