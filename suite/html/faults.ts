/**
 * A faults run, drawn: the faults and the heal as marks across the run, the time the faults were
 * active as a band, the longest stretch with no call acknowledged hatched, and one lane per
 * session, the lost, rolled-back and resurrected ones first and marked. The recovery figures
 * (afterFaults) follow as a table.
 */
import type { DrawnFaultOp, FaultDrawing } from '../drawing.js';
import { axis } from './axis.js';
import { esc } from './escape.js';
import { drawingBox, laneLabels } from './toolbar.js';

const LEFT = 190;
const TOP = 46;
const LANE = 26;
const BAR = 14;
const LABEL_CHARS = 24;

const show = (v: number | null | undefined) => (v === null || v === undefined ? 'absent' : `#${v}`);
const isFault = (what: string) => what !== 'heal' && what !== 'healed';

function barClass(op: DrawnFaultOp): string {
  return ['op', op.finding ? 'finding' : op.outcome === 'ok' ? 'ack' : 'failed'].join(' ');
}

function barLabel(op: DrawnFaultOp): string {
  const what = op.kind === 'set' ? `set ${show(op.value)}` : op.result !== undefined ? `${op.kind} ${show(op.result)}` : op.kind;
  return `${op.finding ? '✗ ' : op.outcome === 'failed' ? '✕ ' : ''}${what}`;
}

/** Round milliseconds for the axis: 1, 2 or 5 × a power of ten, about eight ticks. */
function tickStep(span: number): number {
  const raw = span / 8;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= raw)!;
}

export function renderFaults(f: FaultDrawing, d: number): string {
  const ax = axis([0, f.durationMs], LEFT, 900, false);
  const height = TOP + f.sessions.length * LANE + 20;
  const parts: string[] = ['<defs><pattern id="hatch-failed" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="5" stroke-width="2"/></pattern>',
    '<pattern id="hatch-unavailable" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="8" stroke-width="1.5"/></pattern></defs>'];
  const step = tickStep(f.durationMs);
  for (let t = 0; t <= f.durationMs; t += step) {
    parts.push(`<line class="grid" y1="${TOP - 4}" y2="${height - 14}" ${ax.attrs(t)}/><text class="muted" y="${height - 2}" ${ax.attrs(t)}>${t} ms</text>`);
  }
  const firstFault = f.events.find((e) => isFault(e.what));
  const healed = f.events.find((e) => e.what === 'healed') ?? f.events.find((e) => e.what === 'heal');
  if (firstFault) parts.push(`<rect class="fault-band" y="${TOP - 4}" height="${height - TOP - 10}" ${ax.attrs(firstFault.at, healed?.at ?? f.durationMs)}/>`);
  if (f.unavailable && f.unavailable.to > f.unavailable.from) {
    parts.push(`<rect class="unavailable" y="${TOP - 4}" height="${height - TOP - 10}" ${ax.attrs(f.unavailable.from, f.unavailable.to)}/>`);
  }
  f.events.forEach((e, i) => {
    const cls = isFault(e.what) ? 'fault' : 'heal';
    parts.push(`<line class="${cls}" y1="${12 + (i % 3) * 11}" y2="${height - 14}" ${ax.attrs(e.at)}/><text class="event-label" y="${10 + (i % 3) * 11}" ${ax.attrs(e.at, undefined, 3)}>${isFault(e.what) ? '⚡ ' : '✚ '}${esc(e.what)}</text>`);
  });
  const onTop: string[] = [];
  const labels: string[] = [];
  f.sessions.forEach((s, si) => {
    const y = TOP + si * LANE;
    const harmed = s.anomalies.length > 0;
    if (si % 2 === 0) parts.push(`<rect class="lane-bg" x="0" y="${y}" width="100%" height="${LANE}"/>`);
    // A harmed lane is tinted under its label only: the timeline keeps the fault band and the hatch readable.
    if (harmed) labels.push(`<rect class="lane-bg harmed" x="0" y="${y}" width="${LEFT - 4}" height="${LANE}"/>`);
    const name = s.session.length > LABEL_CHARS ? `…${s.session.slice(-(LABEL_CHARS - 1))}` : s.session;
    labels.push(`<text class="lane-label${harmed ? ' harmed' : ''}" x="6" y="${y + LANE / 2 + 4}">${harmed ? '✗ ' : ''}${esc(name)}<title>${esc(`session ${s.session}${harmed ? `: ${s.anomalies.join(', ')}` : ''}`)}</title></text>`);
    s.ops.forEach((op, oi) => {
      const by = y + (LANE - BAR) / 2;
      const end = op.end ?? f.durationMs;
      // Only a finding is a stop for the keyboard and a screen reader; every bar shows its values on hover.
      const a11y = op.finding ? ` tabindex="0" role="img" aria-label="${esc(`session ${s.session}: ${op.client} ${barLabel(op)}, ${op.finding}`)}"` : '';
      // Findings drawn last, on top: a store in process answers in microseconds, and the bars of one lane overlap.
      (op.finding ? onTop : parts).push(
        `<g class="${barClass(op)}"${a11y} data-d="${d}" data-i="${si}.${oi}">` +
          `<rect class="bar" y="${by}" height="${BAR}" rx="2" ${ax.attrs(op.start, end)}/>` +
          `<text class="label" y="${by + BAR - 3}" ${ax.attrs(op.start, end, 3)}>${esc(barLabel(op))}</text></g>`,
      );
    });
  });
  parts.push(...onTop);
  const anomalies = new Map<string, number>();
  for (const s of f.sessions) for (const a of s.anomalies) anomalies.set(a, (anomalies.get(a) ?? 0) + 1);
  const notes = [
    `${f.events.filter((e) => isFault(e.what)).map((e) => `<strong>${esc(e.what)}</strong> at +${Math.round(e.at)} ms`).join(', ') || 'no fault fired'}; heal at +${Math.round(f.events.find((e) => e.what === 'heal')?.at ?? 0)} ms. Run of ${Math.round(f.durationMs)} ms over ${f.totalSessions} sessions.`,
    f.unavailable && f.unavailable.to > f.unavailable.from ? `Unavailable (no call acknowledged) for ${Math.round(f.unavailable.to - f.unavailable.from)} ms, from +${Math.round(f.unavailable.from)} ms to +${Math.round(f.unavailable.to)} ms: the hatched window.` : 'No stretch without an acknowledged call.',
    `${f.harmedSessions} of ${f.totalSessions} sessions harmed; drawn: ${f.sessions.length} lanes (${[...anomalies].map(([a, n]) => `✗ ${n} × ${esc(a)}`).join(', ') || 'none harmed'}${f.sessions.some((x) => x.anomalies.length === 0) ? ', then unharmed sessions to compare' : ''}). A long session shows its calls around the finding and its last calls (the read-back). Tab reaches each finding; every bar shows its values on hover.`,
  ];
  const legend = [
    '<span class="l-ack">acknowledged</span>', '<span class="l-failed">✕ failed or timed out</span>', '<span class="l-stuck">✗ the read that shows the anomaly</span>',
    '<span class="l-harmed">✗ harmed session</span>', '<span class="l-active">⚡ faults active until ✚ healed</span>', '<span class="l-unavailable">no call acknowledged</span>',
  ];
  return [
    drawingBox({
      label: 'Faults timeline',
      notes,
      legend,
      svg: `<svg class="drawing faults" xmlns="http://www.w3.org/2000/svg" role="group" aria-label="faults timeline: ${f.sessions.length} session lanes" width="${ax.end + 40}" height="${height}" data-left="${LEFT}" data-end-t="${ax.end}">${parts.join('')}${laneLabels(LEFT, height, labels)}</svg>`,
      jump: 'Jump to the first anomaly',
      scales: false,
    }),
    recovery(f),
  ].join('\n');
}

function recovery(f: FaultDrawing): string {
  const rows = Object.entries(f.afterFaults);
  if (rows.length === 0) return '';
  const cell = (ms: number | null) => (ms === null ? '<td>✗ not all of them</td>' : `<td class="num">${ms} ms</td>`);
  return [
    '<h4>Recovery after each fault (afterFaults)</h4>',
    '<table><thead><tr><th>Fault</th><th>Sessions affected</th><th>All served again after</th><th>Writes resumed after</th></tr></thead><tbody>',
    ...rows.map(([fault, r]) => `<tr><td>${esc(fault)}</td><td class="num">${r.affectedSessions}</td>${cell(r.servedAgainAfterMs)}${cell(r.writesResumedAfterMs)}</tr>`),
    '</tbody></table>',
  ].join('\n');
}
