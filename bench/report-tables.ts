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
 * What a reference store (or variant) does that the published stores beside it do not: the costs
 * to look at first where it trails one. The published stores, through the express adapter, pay
 * two round trips for a pop (get, then destroy) and for a touch (get, then touch) where the
 * reference stores pay one, so a shortfall is the client's CPU, not the wire.
 */
const KNOWN_COSTS: Record<string, string> = {
  memory: 'MemoryStore validates every id, TTL and session (strict JSON, a size limit) and keeps JSON text, decoding a fresh copy on every read so that no caller shares the stored object.',
  redis: 'RedisStore validates every session it encodes and decodes (strict JSON, a size limit) and arms ioredis\'s per-command timeout (commandTimeout); connect-redis does neither. On a machine where the client shares its cores with the server, that CPU is throughput.',
  'redis (auto-pipelining)': 'ioredis auto-pipelining holds each command to batch it with the next ones: at low concurrency there is nothing to batch and only the wait is left; at high concurrency it trades p99 for throughput.',
};

const sameRow = (a: CellResult, b: CellResult) => a.family === b.family && a.concurrency === b.concurrency && sameScenario(a, b);

/** Per backend, workload and concurrency: each store's throughput and p99, and each reference store's ratio to the fastest published store. */
export function versusPeers(report: BenchReport): string[] {
  const peers = report.results.filter((c) => c.kind === 'peer' && !c.oneWorker);
  if (peers.length === 0) return [];
  const lines = [
    '## vs published stores',
    '',
    'Published express-session stores through `fromExpressStore`, called as express-session calls them, beside the reference store of their backend in the same interleaved runs. *Ratio* is a reference store\'s median over the fastest published store\'s; the goal is ≥ 1.0×.',
    '',
    '| Backend | Workload | Payload | In flight | Store | ops/s · p99 | Reference ÷ fastest published |',
    '| --- | --- | ---: | ---: | --- | --- | ---: |',
  ];
  const references = report.results.filter((c) => c.kind === 'store' && !c.oneWorker && peers.some((p) => sameRow(p, c)));
  const shortfalls = references.filter((r) => (r.summary?.ratioToFastestPeer ?? 1) < 1);
  for (const first of references.filter((r) => references.find((x) => sameRow(x, r)) === r)) {
    for (const cell of [...references.filter((r) => sameRow(r, first)), ...peers.filter((p) => sameRow(p, first))]) {
      const ratio = cell.kind === 'store' ? cell.summary?.ratioToFastestPeer : undefined;
      const shown = cell.kind === 'store' ? `**${escapeMarkdownCell(cell.target)}**` : escapeMarkdownCell(cell.target);
      lines.push(`| ${cell.family} | ${cell.workload} | ${formatBytes(cell.payloadBytes)} | ${cell.concurrency} | ${shown} | ${speed(cell)} | ${ratio !== undefined ? `${fmt(ratio, 2)}×${ratio < 1 ? ' ⚠️' : ''}` : ''} |`);
    }
  }
  lines.push('');
  if (shortfalls.length === 0) return lines;
  // Overlapping min–max ranges of the runs: the shortfall is not established at this many runs.
  const apart = (r: CellResult) => peers.filter((p) => sameRow(p, r) && p.summary).every((p) => p.summary!.opsPerSec.median <= r.summary!.opsPerSec.median || p.summary!.opsPerSec.min > r.summary!.opsPerSec.max);
  lines.push('Below 1.0×:', '', ...shortfalls.map((r) => `- ${r.target} on ${r.workload} at ${r.concurrency} in flight: ${fmt(r.summary!.ratioToFastestPeer, 2)}× (${apart(r) ? 'the runs do not overlap' : 'the runs overlap: may be noise'})`), '');
  for (const target of new Set(shortfalls.map((r) => r.target))) if (KNOWN_COSTS[target]) lines.push(`Why ${target} may trail: ${KNOWN_COSTS[target]}`, '');
  return lines;
}
