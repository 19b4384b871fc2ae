/** The report for a terminal: a table of clauses, then each failure and warning in full. */
import { formatClauseResult } from '../suite/format.js';
import type { ConformanceReport } from '../suite/result.js';

const STATUS: Record<string, string> = { pass: 'pass', fail: 'FAIL', warn: 'warn', inconclusive: 'inconclusive', info: 'info', skipped: 'skipped' };

export function renderTable(report: ConformanceReport): string {
  const rows = report.clauses.map((c) => [c.id, c.level, STATUS[c.status] ?? c.status, `${c.durationMs} ms`, c.status === 'skipped' ? (c.reason ?? '') : '']);
  const header = ['clause', 'level', 'status', 'time', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [`Session store conformance: ${report.store} · seed ${report.seed} · ${report.numRuns} runs per property`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const c of report.clauses.filter((r) => r.status !== 'pass' && r.status !== 'skipped' && r.error !== undefined)) {
    out.push('', formatClauseResult(report.store, c));
  }
  const counts = Object.entries(report.summary).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`);
  out.push('', `${counts.join(', ')} · verdict: ${report.ok ? 'passes' : 'FAILS'}`);
  return out.join('\n');
}
