/** The report's comparison tables: one thread against several, and the reference stores against published ones. */
import { escapeMarkdownCell } from '../suite/report.js';
import type { BenchReport } from './report.js';
import type { CellResult } from './run.js';
import { sameScenario } from './run.js';
import { formatBytes } from './workloads.js';

export const fmt = (n: number | undefined, digits = 0): string => (n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export const ms = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '–' : `${fmt(n, n < 1 ? 3 : 2)} ms`);

const speed = (c: CellResult | undefined) => (c?.summary ? `${fmt(c.summary.opsPerSec.median)} · p99 ${ms(c.summary.p99)}${c.summary.clientBound ? ' ⚠️ client-bound' : ''}` : `– ${c?.failed ? `(${escapeMarkdownCell(c.failed)})` : ''}`);

/** Each networked reference at the highest concurrency from one thread and from `config.workers`. */
export function threadScaling(report: BenchReport): string[] {
  const single = report.results.filter((c) => c.oneWorker);
  if (single.length === 0) return [];
  const lines = [
    `## One thread vs ${report.config.workers} threads`,
    '',
    `The same closed loop on the stores on a server, from one thread (one event loop) and from ${report.config.workers} threads, each with its own connections. Where more threads drive more, one thread was the limit: the client, not the store.`,
    '',
    '| Workload | Payload | Store | In flight | 1 thread: ops/s · p99 | Threads | Several: ops/s · p99 | Speed-up |',
    '| --- | ---: | --- | ---: | --- | ---: | --- | ---: |',
  ];
  for (const one of single) {
    const many = report.results.find((c) => !c.oneWorker && c.target === one.target && c.concurrency === one.concurrency && sameScenario(c, one));
    const ratio = one.summary && many?.summary ? `${fmt(many.summary.opsPerSec.median / one.summary.opsPerSec.median, 2)}×` : '–';
    lines.push(`| ${one.workload} | ${formatBytes(one.payloadBytes)} | ${escapeMarkdownCell(one.target)} | ${one.concurrency} | ${speed(one)} | ${many?.workers ?? '–'} | ${speed(many)} | ${ratio} |`);
  }
  return [...lines, ''];
}

/**
 * Why a reference store trails a published one, where the reason is known: what the store does
 * that the published one does not. Each was found by measuring; see the report notes.
 */
const KNOWN_COSTS: Record<string, string> = {};

/** Per backend, workload and concurrency: each store's throughput and p99, and the reference's ratio to the fastest published store. */
export function versusPeers(report: BenchReport): string[] {
  const peers = report.results.filter((c) => c.kind === 'peer' && !c.oneWorker);
  if (peers.length === 0) return [];
  const lines = [
    '## vs published stores',
    '',
    'Published express-session stores through `fromExpressStore`, called as express-session calls them, beside the reference store of their backend in the same interleaved runs. *Ratio* is the reference store\'s median over the fastest published store\'s; the goal is ≥ 1.0×.',
    '',
    '| Backend | Workload | Payload | In flight | Store | ops/s · p99 | Reference ÷ fastest published |',
    '| --- | --- | ---: | ---: | --- | --- | ---: |',
  ];
  const shortfalls: string[] = [];
  const references = report.results.filter((c) => c.kind === 'store' && !c.oneWorker && peers.some((p) => p.family === c.family && p.concurrency === c.concurrency && sameScenario(p, c)));
  for (const reference of references) {
    const group = [reference, ...peers.filter((p) => p.family === reference.family && p.concurrency === reference.concurrency && sameScenario(p, reference))];
    const ratio = reference.summary?.ratioToFastestPeer;
    for (const cell of group) {
      const shown = cell === reference ? `**${escapeMarkdownCell(cell.target)}**` : escapeMarkdownCell(cell.target);
      lines.push(`| ${cell.family} | ${cell.workload} | ${formatBytes(cell.payloadBytes)} | ${cell.concurrency} | ${shown} | ${speed(cell)} | ${cell === reference && ratio !== undefined ? `${fmt(ratio, 2)}×${ratio < 1 ? ' ⚠️' : ''}` : ''} |`);
    }
    if (ratio !== undefined && ratio < 1) shortfalls.push(`${reference.target} on ${reference.workload} at ${reference.concurrency} in flight: ${fmt(ratio, 2)}×`);
  }
  lines.push('');
  if (shortfalls.length) {
    lines.push('Below 1.0× (within the runs\' min–max range this may be noise):', '', ...shortfalls.map((s) => `- ${s}`), '');
    const families = [...new Set(references.filter((r) => (r.summary?.ratioToFastestPeer ?? 1) < 1).map((r) => r.family))];
    for (const family of families) if (KNOWN_COSTS[family]) lines.push(`Why ${family}: ${KNOWN_COSTS[family]}`, '');
  }
  return lines;
}
