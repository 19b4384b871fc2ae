/** The report's comparison tables: one thread against several, and the reference stores against published ones. */
import { escapeMarkdownCell } from '../suite/report.js';
import type { BenchReport, CellResult } from './types.js';
import { sameScenario } from './run.js';
import { formatBytes } from './workloads.js';

export const fmt = (n: number | undefined, digits = 0): string => (n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export const ms = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '–' : `${fmt(n, n < 1 ? 3 : 2)} ms`);

/** What ran at its limit in a cell: the client's event loop, the server's CPU, or neither (round trips over the loopback bound it). */
export function saturation(c: CellResult): string {
  const s = c.summary;
  if (!s) return '';
  const what = s.saturated ?? (s.clientBound ? ['client'] : []);
  const server = s.serverCpu !== undefined ? `server CPU ${fmt(s.serverCpu * 100)}%` : undefined;
  if (what.length === 0) return server ? `neither (${server}): round trips` : '';
  return `${what.join(' and ')}-bound${server && what.includes('server') ? ` (${server})` : ''}`;
}

const speed = (c: CellResult | undefined) => {
  if (!c?.summary) return `– ${c?.failed ? `(${escapeMarkdownCell(c.failed)})` : ''}`;
  const bound = c.summary.saturated?.length || c.summary.clientBound ? ` ⚠️ ${saturation(c)}` : '';
  return `${fmt(c.summary.opsPerSec.median)} · p99 ${ms(c.summary.p99)}${bound}`;
};

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
  redis: 'RedisStore validates every session it encodes and decodes (strict JSON, a size limit) and bounds every call by its timeout (a deadline per call, one timer); connect-redis does neither. On a machine where the client shares its cores with the server, that CPU is throughput.',
  'redis (ioredis)': 'ioredis writes each command as it is issued (one write per command), where node-redis writes all the commands of one tick together, and arms a timer per command (commandTimeout).',
  'redis (ioredis auto-pipelining)': 'ioredis auto-pipelining holds each command to batch it with the next ones: at low concurrency there is nothing to batch and only the wait is left; at high concurrency it trades p99 for throughput.',
};

const sameRow = (a: CellResult, b: CellResult) => a.family === b.family && a.concurrency === b.concurrency && sameScenario(a, b);

/** The published store with the highest median beside `cell`: the one its ratio is to. */
function fastestPeer(peers: readonly CellResult[], cell: CellResult): CellResult | undefined {
  return peers.filter((p) => sameRow(p, cell) && p.summary).sort((a, b) => b.summary!.opsPerSec.median - a.summary!.opsPerSec.median)[0];
}

const perOp = (n: number | undefined, digits: number) => (n === undefined ? '–' : fmt(n, digits));

/** Client cores busy in a cell: its CPU per operation at its median rate. */
const coresBusy = (s: NonNullable<CellResult['summary']>) => ((s.clientCpuUsPerOp ?? 0) * s.opsPerSec.median) / 1e6;

/**
 * The work each side does per operation, where a reference store trails a published one: the
 * client's CPU and the server's commands. More of either is a cause to look at in the store; as
 * much or less of both says the gap is not work the store does (the scheduler of a loaded
 * machine, or the runs' noise). A client's loop also spends CPU per second whatever it does
 * (timers, polling), which weighs more per operation the fewer operations there are: more CPU per
 * operation with fewer cores busy may be that alone, and the line says so.
 */
function workBeside(reference: CellResult, peer: CellResult): string {
  const [mine, theirs] = [reference.summary!, peer.summary!];
  if (mine.clientCpuUsPerOp === undefined || theirs.clientCpuUsPerOp === undefined) return '';
  const measured = `client CPU ${perOp(mine.clientCpuUsPerOp, 1)} µs/op against ${perOp(theirs.clientCpuUsPerOp, 1)}${mine.commandsPerOp !== undefined && theirs.commandsPerOp !== undefined ? `, ${perOp(mine.commandsPerOp, 2)} server commands/op against ${perOp(theirs.commandsPerOp, 2)}` : ''}`;
  const busier = coresBusy(mine) >= coresBusy(theirs);
  const causes = [
    ...(mine.clientCpuUsPerOp > theirs.clientCpuUsPerOp * 1.1
      ? [busier ? 'more client CPU per operation' : `more client CPU per operation, but fewer client cores busy (${fmt(coresBusy(mine), 2)} against ${fmt(coresBusy(theirs), 2)}): the loop's fixed cost over fewer operations may account for it`]
      : []),
    ...(mine.commandsPerOp !== undefined && theirs.commandsPerOp !== undefined && mine.commandsPerOp > theirs.commandsPerOp * 1.05 ? ['more server commands per operation'] : []),
  ];
  return `; ${measured} (${peer.target}): ${causes.length ? causes.join(' and ') : 'no more work per operation on either side, so the gap is not work the store does'}`;
}

/** Each reference store's work per operation beside the fastest published store's, where both were measured. */
function workTable(references: readonly CellResult[], peers: readonly CellResult[]): string[] {
  const pairs = references.map((r) => [r, fastestPeer(peers, r)] as const).filter(([r, p]) => p && r.summary?.clientCpuUsPerOp !== undefined && p.summary!.clientCpuUsPerOp !== undefined);
  if (pairs.length === 0) return [];
  return [
    'Work per operation: the client\'s CPU (all load threads) and the server\'s commands (INFO commandstats, Memcached stats, over the warm-up and the window), each reference store beside the fastest published store. More work per operation is a cause of a slower store; as much work and less throughput is not the store\'s doing.',
    '',
    '| Backend | Workload | Payload | In flight | Store | Client CPU µs/op | Commands/op | Fastest published | Its client CPU µs/op | Its commands/op |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |',
    ...pairs.map(([r, p]) => `| ${r.family} | ${r.workload} | ${formatBytes(r.payloadBytes)} | ${r.concurrency} | ${escapeMarkdownCell(r.target)} | ${perOp(r.summary!.clientCpuUsPerOp, 1)} | ${perOp(r.summary!.commandsPerOp, 2)} | ${escapeMarkdownCell(p!.target)} | ${perOp(p!.summary!.clientCpuUsPerOp, 1)} | ${perOp(p!.summary!.commandsPerOp, 2)} |`),
    '',
  ];
}

/** Per backend, workload and concurrency: each store's throughput and p99, and each reference store's ratio to the fastest published store. */
export function versusPeers(report: BenchReport): string[] {
  const peers = report.results.filter((c) => c.kind === 'peer' && !c.oneWorker);
  if (peers.length === 0) return [];
  const lines = [
    '## vs published stores',
    '',
    'Published express-session stores through `fromExpressStore`, called as express-session calls them, beside the reference store of their backend in the same interleaved runs. *Ratio* is a reference store\'s median over the fastest published store\'s; the goal is ≥ 1.0×, with a p99 no worse (p99 ratio ≤ 1.0×).',
    '',
    '| Backend | Workload | Payload | In flight | Store | ops/s · p99 | Reference ÷ fastest published | p99 ÷ its p99 |',
    '| --- | --- | ---: | ---: | --- | --- | ---: | ---: |',
  ];
  const references = report.results.filter((c) => c.kind === 'store' && !c.oneWorker && peers.some((p) => sameRow(p, c)));
  const shortfalls = references.filter((r) => (r.summary?.ratioToFastestPeer ?? 1) < 1);
  for (const first of references.filter((r) => references.find((x) => sameRow(x, r)) === r)) {
    for (const cell of [...references.filter((r) => sameRow(r, first)), ...peers.filter((p) => sameRow(p, first))]) {
      const ratio = cell.kind === 'store' ? cell.summary?.ratioToFastestPeer : undefined;
      const fastest = cell.kind === 'store' ? fastestPeer(peers, cell) : undefined;
      const p99 = fastest && cell.summary ? cell.summary.p99 / fastest.summary!.p99 : undefined;
      const shown = cell.kind === 'store' ? `**${escapeMarkdownCell(cell.target)}**` : escapeMarkdownCell(cell.target);
      lines.push(`| ${cell.family} | ${cell.workload} | ${formatBytes(cell.payloadBytes)} | ${cell.concurrency} | ${shown} | ${speed(cell)} | ${ratio !== undefined ? `${fmt(ratio, 2)}×${ratio < 1 ? ' ⚠️' : ''}` : ''} | ${p99 !== undefined ? `${fmt(p99, 2)}×${p99 > 1 ? ' ⚠️' : ''}` : ''} |`);
    }
  }
  lines.push('', ...workTable(references, peers));
  if (shortfalls.length === 0) return lines;
  // Overlapping min–max ranges of the runs: the shortfall is not established at this many runs.
  const apart = (r: CellResult) => peers.filter((p) => sameRow(p, r) && p.summary).every((p) => p.summary!.opsPerSec.median <= r.summary!.opsPerSec.median || p.summary!.opsPerSec.min > r.summary!.opsPerSec.max);
  lines.push('Below 1.0×:', '', ...shortfalls.map((r) => `- ${r.target} on ${r.workload} at ${r.concurrency} in flight: ${fmt(r.summary!.ratioToFastestPeer, 2)}× (${apart(r) ? 'the runs do not overlap' : 'the runs overlap: may be noise'})${workBeside(r, fastestPeer(peers, r)!)}`), '');
  for (const target of new Set(shortfalls.map((r) => r.target))) if (KNOWN_COSTS[target]) lines.push(`Why ${target} may trail: ${KNOWN_COSTS[target]}`, '');
  return lines;
}

/**
 * Each store on a networked backend against the server's own limit (measured in the same run by
 * its load tool, on the same payloads) beside its ratio to the raw driver, and what was saturated.
 */
export function versusServerLimit(report: BenchReport): string[] {
  const limits = report.serverLimits ?? [];
  if (limits.length === 0) return [];
  const lines = [
    "## vs the server's own limit",
    '',
    "What the server did on its own, driven by its load tool on the bench's payloads in the same run, against what each store drove. The *server limit* of a workload is the server's time per operation at its measured GET and SET rates, weighted by the workload's mix. *Saturated* says what ran at its limit: a load thread's event loop (its CPU ≥ 90%), the server's CPU (≥ 90% of its command threads), or neither, when round trips over the loopback bound the cell. The load tool is a client on the same cores too: a ratio above 1.0× means the tool, not the server, was the bound when it measured.",
    '',
    ...limits.map((l) => `- ${l.backend}, ${formatBytes(l.payloadBytes)}: ${fmt(l.readsPerSec)} GET/s, ${fmt(l.writesPerSec)} SET/s (${escapeMarkdownCell(l.tool)})`),
    '',
    '| Backend | Workload | Payload | In flight | Store | ops/s · p99 | ÷ raw driver | ÷ server limit | Saturated |',
    '| --- | --- | ---: | ---: | --- | --- | ---: | ---: | --- |',
  ];
  for (const cell of report.results.filter((c) => !c.oneWorker && c.summary?.ratioToServerLimit !== undefined)) {
    const s = cell.summary!;
    const shown = cell.kind === 'store' ? `**${escapeMarkdownCell(cell.target)}**` : escapeMarkdownCell(cell.target);
    lines.push(`| ${cell.family} | ${cell.workload} | ${formatBytes(cell.payloadBytes)} | ${cell.concurrency} | ${shown} | ${fmt(s.opsPerSec.median)} · p99 ${ms(s.p99)} | ${s.ratioToCeiling !== undefined ? `${fmt(s.ratioToCeiling, 2)}×` : ''} | ${fmt(s.ratioToServerLimit, 2)}× | ${saturation(cell) || '–'} |`);
  }
  return [...lines, ''];
}

/**
 * A store's other setting that is faster than its default but costs p99 (as auto-pipelining
 * does): the throughput it gains and the latency it pays, so that no mode is chosen on throughput alone.
 */
export function latencyCosts(report: BenchReport): string[] {
  const found: string[] = [];
  for (const variant of report.results.filter((c) => c.kind === 'store' && c.target !== c.family && !c.oneWorker && c.summary)) {
    const base = report.results.find((c) => c.kind === 'store' && c.target === c.family && !c.oneWorker && sameRow(c, variant) && c.summary);
    if (!base) continue;
    const faster = variant.summary!.opsPerSec.median / base.summary!.opsPerSec.median;
    const slower = variant.summary!.p99 / base.summary!.p99;
    if (faster > 1 && slower > 1.1) found.push(`- ${variant.target} on ${variant.workload} at ${variant.concurrency} in flight: ${fmt(faster, 2)}× the throughput of ${base.target}, at ${fmt(slower, 2)}× its p99 (${ms(variant.summary!.p99)} against ${ms(base.summary!.p99)})`);
  }
  if (found.length === 0) return [];
  return ['## Throughput bought with latency', '', 'Where a store\'s other setting or client is faster than its default only by paying in p99. A default may not give up more than 10% of p99 for throughput.', '', ...found, ''];
}

/** The goals of the reference stores, each met or not, with the measurement that says so. */
export function goals(report: BenchReport): string[] {
  const stores = report.results.filter((c) => c.kind === 'store' && c.target === c.family && !c.oneWorker && c.summary);
  const peers = report.results.filter((c) => c.kind === 'peer' && !c.oneWorker);
  if (peers.length === 0 && !(report.serverLimits?.length)) return [];
  const lines = ['## Goals', ''];
  for (const family of [...new Set(stores.map((c) => c.family))]) {
    const compared = stores.filter((c) => c.family === family && fastestPeer(peers, c));
    if (compared.length) {
      const misses = compared.filter((c) => c.summary!.ratioToFastestPeer! < 1 || c.summary!.p99 > fastestPeer(peers, c)!.summary!.p99);
      lines.push(`- ${family} ≥ 1.0× the fastest published ${family} store, p99 no worse, on every workload and concurrency: ${misses.length === 0 ? `met (${compared.length} of ${compared.length} cells)` : `not met in ${misses.length} of ${compared.length} cells: ${misses.map((c) => `${c.workload} at ${c.concurrency}: ${fmt(c.summary!.ratioToFastestPeer, 2)}×, p99 ${ms(c.summary!.p99)} vs ${ms(fastestPeer(peers, c)!.summary!.p99)}${c.summary!.saturated?.length ? ` (${saturation(c)})` : ''}`).join('; ')}`}`);
    } else if (family !== 'harness') lines.push(`- ${family}: no published ${family} store measured beside it`);
    const top = Math.max(...report.config.concurrency);
    const limited = stores.filter((c) => c.family === family && c.concurrency === top && c.summary!.ratioToServerLimit !== undefined);
    if (limited.length) {
      const below = limited.filter((c) => c.summary!.ratioToServerLimit! < 0.6);
      lines.push(`- ${family} ≥ 0.6× the server's own pipelined limit at ${top} in flight: ${below.length === 0 ? `met (${limited.map((c) => `${c.workload} ${fmt(c.summary!.ratioToServerLimit, 2)}×`).join(', ')})` : `not met in ${below.length} of ${limited.length}: ${below.map((c) => `${c.workload} ${fmt(c.summary!.ratioToServerLimit, 2)}× (${saturation(c) || 'nothing saturated'})`).join('; ')}`}`);
    }
  }
  const [load] = report.environment.loadAverage;
  const cores = report.environment.cpus.count;
  if (load !== undefined && load > cores) lines.push('', `The machine's load average was ${fmt(load, 1)} on ${cores} cores during the run: the load threads and the servers waited for CPU behind other processes, so a cell where neither is saturated was starved, not idle, and single cells swing by several times between runs. Compare side by side within a row, not across rows or runs.`);
  return [...lines, ''];
}
