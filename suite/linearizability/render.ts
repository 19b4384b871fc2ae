/** Rendering a violation for people: the session's operations on one time axis, and the prefix the model accepts. */
import { preview } from '../json-equal.js';
import type { Operation } from './history.js';
import type { Violation } from './search.js';

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
  // Folded, not spread: a hot session's history can hold more operations than a call has arguments.
  const start = ops.reduce((t, o) => Math.min(t, o.call), Infinity);
  const end = ops.reduce((t, o) => Math.max(t, Number.isFinite(o.ret) ? o.ret : o.call), -Infinity);
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
