/** The conformance report as one self-contained HTML page, beside the JSON and Markdown. */
import type { ConformanceReport } from '../result.js';
import { esc } from './escape.js';
import { renderPage } from './page.js';
import { declarations, statusBadge, verdictGrid, verdictSections, type DrawingData } from './verdict.js';

export function renderHtml(report: ConformanceReport): string {
  const { summary } = report;
  const data: DrawingData = [];
  const counts = (Object.entries(summary) as [keyof typeof summary, number][]).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${statusBadge(status)}`);
  const body = [
    '<header>',
    `<h1>Session store conformance: ${esc(report.store)}</h1>`,
    `<p><span class="badge s-${report.ok ? 'pass' : 'fail'}"><span aria-hidden="true">${report.ok ? '✓' : '✗'}</span> ${report.ok ? 'OK' : 'NOT OK'}</span>${report.strict ? ' (strict)' : ''} · ${counts.join(' ')} · ${esc(report.date)}</p>`,
    '</header>',
    '<main>',
    '<h2>Verdict</h2>',
    verdictGrid(report),
    declarations(report),
    verdictSections(report, data),
    '</main>',
  ].join('\n');
  return renderPage({ title: `Conformance: ${report.store}`, body, data });
}
