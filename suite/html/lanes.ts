/**
 * A violating history, drawn: one lane per client, each operation a bar from call to return. The
 * longest linearizable prefix is filled, the stuck operation marked, the anomaly's evidence
 * outlined, and each write's deadline window drawn as two dashed marks with its band between.
 */
import type { DrawnOperation, HistoryDrawing } from '../drawing.js';
import { axis } from './axis.js';
import { esc } from './escape.js';
import { drawingBox, laneLabels } from './toolbar.js';

const LEFT = 80;
const TOP = 34;
const LANE = 34;
const BAR = 20;

function classes(op: DrawnOperation): string {
  return ['op', op.prefixIndex !== undefined && 'in-prefix', op.stuck && 'stuck', op.evidence && 'evidence', op.lastChange && 'last-change'].filter(Boolean).join(' ');
}

function label(op: DrawnOperation): string {
  return `${op.stuck ? '✗ ' : op.evidence ? '⚑ ' : op.lastChange ? '◆ ' : ''}${op.op}`;
}

const VALUE_CHARS = 40;
const short = (text: string) => (text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text);

/** What a screen reader says for a bar; the tooltip adds the rest. */
function ariaLabel(h: HistoryDrawing, op: DrawnOperation): string {
  const marks = [op.stuck && 'stuck here', op.evidence && `evidence of ${h.anomaly}`, op.prefixIndex !== undefined ? 'in the prefix' : 'not in the prefix'].filter(Boolean).join(', ');
  return `client ${op.client}: ${op.op}(${op.args}) → ${op.result}; ${marks}`;
}

/** `d`: the drawing's index in the page's data, which the tooltips read. */
export function renderHistory(h: HistoryDrawing, d: number): string {
  const clients = [...new Set(h.operations.map((op) => op.client))].sort((a, b) => a - b);
  const lane = new Map(clients.map((c, i) => [c, i]));
  const last = Math.max(...h.operations.map((op) => op.ret));
  // Deadlines that fall inside the drawn span (a long TTL's lies far past the history's end).
  const deadlines = h.operations.filter((op) => op.deadline && op.deadline.earliest <= last);
  // A deadline's marks are events too: on the order scale each gets a step of its own.
  const ax = axis([...h.operations.flatMap((op) => [op.call, op.ret]), ...deadlines.flatMap((op) => [op.deadline!.earliest, op.deadline!.latest])], LEFT, 600);
  const height = TOP + clients.length * LANE + 16;
  const parts: string[] = [];
  const labels: string[] = [];
  clients.forEach((c, i) => {
    const y = TOP + i * LANE;
    if (i % 2 === 0) parts.push(`<rect class="lane-bg" x="0" y="${y}" width="100%" height="${LANE}"/>`);
    labels.push(`<text class="lane-label" x="8" y="${y + LANE / 2 + 4}">client ${c}</text>`);
  });
  for (const op of deadlines) {
    const { earliest, latest } = op.deadline!;
    parts.push(`<rect class="deadline-band" y="${TOP - 6}" height="${height - TOP - 4}" ${ax.attrs(earliest, latest)}/>`);
    for (const t of [earliest, latest]) parts.push(`<line class="deadline" y1="${TOP - 6}" y2="${height - 10}" ${ax.attrs(t)}/>`);
    parts.push(`<text class="deadline-label" y="${TOP - 10}" ${ax.attrs(earliest, undefined, 2)}>deadline of client ${op.client} ${op.op}</text>`);
  }
  h.operations.forEach((op, i) => {
    const y = TOP + lane.get(op.client)! * LANE + (LANE - BAR) / 2;
    const marker = op.stuck ? `<text class="stuck-marker" y="${y - 3}" ${ax.attrs(op.call)}>✗ stuck here</text>` : '';
    // What a marked operation read or wrote, beside it: the values the anomaly is about, without hovering.
    const value = op.stuck || op.evidence || op.lastChange ? `<text class="value" y="${y + BAR / 2 + 4}" ${ax.attrs(op.ret, undefined, 4)}>${esc(short(op.op === 'set' ? op.args : `→ ${op.result}`))}</text>` : '';
    parts.push(
      `<g class="${classes(op)}" tabindex="0" role="img" data-d="${d}" data-i="${i}" aria-label="${esc(ariaLabel(h, op))}">` +
        `<rect class="bar" y="${y}" height="${BAR}" rx="3" ${ax.attrs(op.call, op.ret)}/>` +
        `<text class="label" y="${y + BAR / 2 + 4}" ${ax.attrs(op.call, op.ret, 4)}>${esc(label(op))}</text>${marker}${value}</g>`,
    );
  });
  const clock = h.clock === 'ms' ? 'real time (monotonic ms)' : 'a logical clock (one tick per call and return)';
  const offAxis = h.operations.filter((op) => op.deadline && op.deadline.earliest > last).length;
  const notes = [
    `${h.total} operations on session <code>${esc(h.session)}</code>${h.context ? ` (${esc(h.context)})` : ''}, recorded on ${clock}; the longest linearizable prefix places ${h.prefixLength} of them.`,
    h.omitted.before + h.omitted.after > 0 ? `An excerpt: ${h.omitted.before} earlier and ${h.omitted.after} later operations are left out (the anomaly's evidence is kept wherever it lies).` : '',
    deadlines.length > 0 ? `Deadline windows: each write's expiry lies between its two dashed marks (its TTL, ± ${h.toleranceMs} of tolerance).` : '',
    offAxis > 0 ? `${offAxis} write${offAxis === 1 ? '' : 's'} ha${offAxis === 1 ? 's its deadline' : 've their deadlines'} past the end of the history (not drawn).` : '',
  ].filter(Boolean);
  const legend = ['<span class="l-prefix">in the longest linearizable prefix</span>', '<span class="l-open">not in the prefix</span>', '<span class="l-stuck">✗ stuck: the prefix cannot place it</span>', '<span class="l-evidence">⚑ evidence of the anomaly</span>'];
  if (deadlines.length > 0) legend.push('<span class="l-deadline">deadline window</span>');
  return drawingBox({
    label: `History of session ${h.session}: ${h.anomaly}`,
    notes,
    legend,
    svg: `<svg class="drawing history" xmlns="http://www.w3.org/2000/svg" role="group" aria-label="${esc(`${h.anomaly}: ${clients.length} client lanes`)}" width="${ax.end + 40}" height="${height}" data-left="${LEFT}" data-end-o="${ax.end}" data-end-t="${ax.end}">${parts.join('')}${laneLabels(LEFT, height, labels)}</svg>`,
    jump: 'Jump to the stuck operation',
    scales: true,
  });
}
