/**
 * The verdict: the grid of clauses with level and status, the store's declarations and versions,
 * and for each clause that did not simply pass, what happened, what it means, its usual cause,
 * the replay line with a copy button, and its history or faults run drawn.
 */
import type { ClauseResult, ConformanceReport } from '../result.js';
import type { ClauseStatus } from '../verdict.js';
import { esc, slug } from './escape.js';
import { renderFaults } from './faults.js';
import { renderHistory } from './lanes.js';

/** An icon and a word for each status: colour only repeats them. */
export const STATUS_ICON: Record<ClauseStatus, string> = { pass: '✓', fail: '✗', warn: '⚠', inconclusive: '?', info: 'ℹ', skipped: '–' };

export function statusBadge(status: ClauseStatus): string {
  return `<span class="badge s-${status}"><span aria-hidden="true">${STATUS_ICON[status]}</span> ${status}</span>`;
}

/** What the page's script reads: one entry per drawing, in the order the page draws them. */
export type DrawingData = ({ kind: 'history'; drawing: NonNullable<ClauseResult['history']> } | { kind: 'faults'; drawing: NonNullable<ClauseResult['faults']> })[];

export const detailId = (prefix: string, r: ClauseResult) => `${prefix}${slug(r.id)}`;

const hasDetail = (r: ClauseResult) => r.status !== 'pass' && r.status !== 'skipped';

export function declarations(report: ConformanceReport): string {
  const t = report.target;
  const items: [string, string][] = [
    ['clock', t.clock],
    ['TTL resolution', `${t.ttlResolutionMs} ms`],
    ['max data', `${t.maxDataBytes} bytes`],
    ['shared backend', t.sharedBackend ? 'yes' : 'no'],
    ['atomic pop', t.atomicPop ? 'yes' : 'no'],
    ...(report.capabilities ? ([['touch', report.capabilities.touch ? 'yes' : 'no'], ['update', report.capabilities.update ? 'yes' : 'no']] as [string, string][]) : []),
    ['seed', String(report.seed)],
    ['runs per property', String(report.numRuns)],
    ['strict', report.strict ? 'yes' : 'no'],
  ];
  const dl = (pairs: [string, string][]) => `<dl class="meta">${pairs.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
  return `<h2>Declarations</h2>${dl(items)}<h2>Versions</h2>${dl(Object.entries(report.versions))}`;
}

/** The grid: one row per clause; a row with more to say links to its section. */
export function verdictGrid(report: ConformanceReport, prefix = ''): string {
  const rows = report.clauses.map((c) => {
    const first = (c.error ?? c.reason ?? '').split('\n')[0]!;
    const detail = hasDetail(c) ? `<a href="#${detailId(prefix, c)}">${esc(first || 'details')}</a>` : esc(first);
    return `<tr><td><code>${esc(c.id)}</code> ${esc(c.title)}</td><td>${esc(c.level)}</td><td>${statusBadge(c.status)}</td><td class="num">${c.durationMs} ms</td><td>${detail}</td></tr>`;
  });
  return [
    '<table class="verdict-grid"><caption class="sr-only">Clauses and their verdicts</caption>',
    '<thead><tr><th scope="col">Clause</th><th scope="col">Level</th><th scope="col">Status</th><th scope="col">Time</th><th scope="col">Detail</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
  ].join('\n');
}

/** One clause's section; drawings are appended to `data`, whose indexes the bars carry. */
export function clauseDetail(c: ClauseResult, data: DrawingData, prefix = '', open = c.status === 'fail'): string {
  const id = detailId(prefix, c);
  const parts = [
    `<details class="clause ${c.status}" id="${id}"${open ? ' open' : ''}>`,
    `<summary>${statusBadge(c.status)} <code>${esc(c.id)}</code> (${esc(c.level)}) ${esc(c.title)}${c.anomaly ? `: <strong>${esc(c.anomaly)}</strong>` : ''}</summary>`,
    `<pre>${esc(c.error ?? c.reason ?? c.status)}</pre>`,
  ];
  if (c.meaning) parts.push(`<p><strong>What it means:</strong> ${esc(c.meaning)}.</p>`);
  if (c.cause) parts.push(`<p><strong>Usual cause:</strong> ${esc(c.cause)}.</p>`);
  if (c.platformNote) parts.push(`<p class="muted">${esc(c.platformNote)}</p>`);
  if (c.history) {
    parts.push(`<h4>The violating history</h4>`, renderHistory(c.history, data.length));
    data.push({ kind: 'history', drawing: c.history });
  }
  if (c.faults) {
    parts.push(`<h4>The faults timeline</h4>`, renderFaults(c.faults, data.length));
    data.push({ kind: 'faults', drawing: c.faults });
  }
  if (c.counterexample !== undefined) parts.push(`<details><summary>Counterexample${c.shrinks ? ` (shrunk in ${c.shrinks} steps)` : ''}</summary><pre>${esc(c.counterexample.trim())}</pre></details>`);
  if (c.findings) parts.push(`<details><summary>Findings</summary><pre>${esc(JSON.stringify(c.findings, null, 2))}</pre></details>`);
  parts.push(`<p>Seed ${c.seed}${c.path ? `, path <code>${esc(c.path)}</code>` : ''}.</p>`);
  if (c.replay) {
    parts.push(
      `<div class="replay"><strong>Replay:</strong> <code id="${id}-replay">runConformance(target, ${esc(c.replay)})</code>` +
        `<button type="button" data-copy="${id}-replay">Copy</button><span class="muted" aria-live="polite"></span></div>`,
    );
  }
  parts.push('</details>');
  return parts.join('\n');
}

export function verdictSections(report: ConformanceReport, data: DrawingData, prefix = ''): string {
  const detailed = report.clauses.filter(hasDetail);
  return detailed.length === 0 ? '' : `<h2>Details</h2>\n${detailed.map((c) => clauseDetail(c, data, prefix)).join('\n')}`;
}

