/** Rendering a violation for people: the session's operations on one time axis, and the prefix the model accepts. */
import { preview } from '../json-equal.js';
import { excerpt, type Line } from './excerpt.js';
import type { Operation } from './history.js';
import type { Violation } from './check.js';

/**
 * Up to this many operations a violation is shown in full, as it always was; past it, as an
 * excerpt around where the search got stuck (excerpt.ts): at most 12 rows on its axis, 4 off it
 * with 6 counts around them, and 7 lines of prefix, so with the header 30 lines at most.
 */
const IN_FULL = 20;
const WIDTH = 40;

/** One operation, without its id: a violation concerns one session, named in its header. */
function describeOp(op: Operation): string {
  const args: string[] = [];
  if (op.op === 'set') args.push(preview(op.input.data, 60));
  if (op.op === 'update') args.push(op.input.fnLabel ?? 'fn');
  if (op.input.ttlMs !== undefined) args.push(String(op.input.ttlMs));
  const result = op.error !== undefined ? `✗ ${op.error}` : op.op === 'set' ? 'ok' : preview(op.output, 60);
  return `${op.op}(${args.join(', ')}) → ${result}`;
}

/** A row of a timeline: `bar` is the operation's place on the axis, padded to the axis' width. */
const row = (op: Operation, bar: string, note = ''): string => `  client ${op.client} ${bar} ${describeOp(op)}${note && `  ${note}`}`;

/** The operations as intervals on one time axis spanning them, a row each, grouped by client. */
function rows(ops: Operation[], width: number, note: (op: Operation) => string = () => ''): string[] {
  // Folded, not spread: a hot session's history can hold more operations than a call has arguments.
  const start = ops.reduce((t, o) => Math.min(t, o.call), Infinity);
  const end = ops.reduce((t, o) => Math.max(t, Number.isFinite(o.ret) ? o.ret : o.call), -Infinity);
  const scale = (t: number) => Math.round(((Math.min(t, end) - start) / Math.max(end - start, 1e-9)) * (width - 1));
  return [...ops]
    .sort((a, b) => a.client - b.client || a.call - b.call)
    .map((op) => {
      const from = scale(op.call);
      const to = Math.max(from, scale(op.ret));
      const bar = `${' '.repeat(from)}[${'-'.repeat(Math.max(0, to - from - 1))}${to > from ? ']' : ''}`.padEnd(width + 1);
      return row(op, bar, note(op));
    });
}

/** The session's operations as intervals on one time axis, a row each, grouped by client. */
export function timeline(ops: Operation[], width = WIDTH): string {
  return rows(ops, width).join('\n');
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `context` (which race, which run) goes into the header line, which reports show on its own. */
export function describeViolation(v: Violation, context?: string): string {
  const header = `${v.anomaly} on session ${JSON.stringify(v.id)}${context ? ` (${context})` : ''}: no order of these operations is consistent with a single session register`;
  const prefixHeader = `  longest linearizable prefix (${v.longestPrefix.length} of ${v.ops.length} operations):`;
  const prefixRow = (op: Operation) => `    client ${op.client}: ${describeOp(op)}`;
  if (v.ops.length <= IN_FULL) {
    return [header, timeline(v.ops), prefixHeader, ...(v.longestPrefix.length ? v.longestPrefix.map(prefixRow) : ['    (none)'])].join('\n');
  }
  const { stuck, lastChange, lines, prefix } = excerpt(v);
  const evidence = new Set(v.evidence);
  const note = (op: Operation) => {
    const why = [evidence.has(op) && v.anomaly, op === lastChange && 'last change in the prefix'].filter(Boolean).join(', ');
    return [op === stuck && '✗ the longest prefix cannot place this', why && `← ${why}`].filter(Boolean).join('  ');
  };
  let farBefore = false;
  const render = (line: Line): string[] => {
    switch (line.kind) {
      case 'window':
        return rows(line.ops, WIDTH, note);
      case 'far':
        farBefore ||= line.side === 'before';
        // Off the axis, on the side where it happened.
        return [row(line.op, line.side === 'before' ? '◂'.padEnd(WIDTH + 1) : '▸'.padStart(WIDTH + 1), note(line.op))];
      case 'elided':
        if (line.side === 'after') return [`  … ${count(line.count, 'later operation')} not shown`];
        return [
          `  … ${count(line.count, `${farBefore ? 'more' : 'earlier'} operation`)}, ${line.placed === line.count ? 'all consistent with the model' : `${line.placed} of them in the longest linearizable prefix`}`,
        ];
    }
  };
  return [
    header,
    ...lines.flatMap(render),
    prefixHeader,
    ...(prefix.elided > 0 ? [`    … ${count(prefix.elided, 'earlier operation')}`] : []),
    ...(prefix.tail.length ? prefix.tail.map(prefixRow) : ['    (none)']),
  ].join('\n');
}
