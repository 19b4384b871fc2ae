/** The benchmark report: versioned JSON, Markdown with SVG charts, and views for CI tools. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeMarkdownCell } from '../suite/report.js';
import { sameScenario } from './run.js';
import type { BenchConfig, BenchReport, CellResult } from './types.js';
import { cellKey } from './compare.js';
import { fmt, goals, latencyCosts, ms, saturation, threadScaling, versusPeers, versusServerLimit } from './report-tables.js';
import { renderBenchHtml } from './html.js';
import { renderBarChart } from './svg.js';
import { formatBytes, WORKLOADS } from './workloads.js';

export const BENCH_SCHEMA_VERSION: BenchReport['schemaVersion'] = 2;


function notes(cell: CellResult): string {
  const out: string[] = [];
  if (cell.failed) out.push(`❌ ${cell.failed}`);
  if (cell.oneWorker) out.push('one thread, to compare');
  if (cell.summary?.clientBound && cell.inProcess) out.push('in-process (client CPU is the store)');
  else if (cell.summary?.saturated?.length || cell.summary?.clientBound) out.push(`⚠️ ${saturation(cell)}`);
  if (cell.summary?.errors) out.push(`${cell.summary.errors} errors`);
  if (cell.kind === 'store' && cell.summary?.ratioToCeiling !== undefined && cell.summary.ratioToCeiling < 0.9) out.push('below 0.9 of its raw driver');
  return out.join('; ');
}

export function renderBenchMarkdown(report: BenchReport, charts: string[]): string {
  const { environment: env, config } = report;
  const lines = [
    '# Session store benchmark',
    '',
    `${report.generatedAt} · Node ${env.node} · ${env.os} · ${env.cpus.count} × ${env.cpus.model} · load ${env.loadAverage.join(' ')} · commit ${env.gitCommit?.slice(0, 12) ?? 'unknown'}`,
    '',
    `Packages: ${Object.entries(env.packages).map(([k, v]) => `${k} ${v}`).join(', ')}${Object.keys(env.servers).length ? ` · servers: ${Object.entries(env.servers).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`,
    '',
    `Load: closed loops from ${config.workers} thread${config.workers === 1 ? '' : 's'} on stores on a shared backend, each thread with its own connections, histograms merged exactly; in-process stores (memory, SQLite, the no-op, and any store not declaring a shared backend) run in one thread, since a Map or a SQLite handle cannot be shared across threads.`,
    '',
    `Config: ${config.sessions.toLocaleString('en-US')} active sessions (payloads of ${config.payloads.map(formatBytes).join(', ')}), ${config.popularity}${config.popularity === 'zipfian' ? ` (skew ${config.skew})` : ''} popularity, ${config.durationMs} ms per run after ${config.warmupMs} ms warm-up, ${config.runs} runs per cell with targets interleaved, seed ${config.seed}.`,
    '',
    '> **Noise.** These are wall-clock figures from one machine, one run. Differences within the min–max range of the runs, or under about 10%, are noise: compare runs with `npm run bench -- compare base.json head.json`, which tests significance. A *ceiling* is the raw driver doing the same operations without the store\'s checks; *ratio* is the store\'s median over its ceiling\'s. The *no-op* store shows the harness\'s own limit.',
    '',
  ];
  for (const { workload, payloadBytes } of scenariosOf(config)) {
    const description = WORKLOADS.find((w) => w.name === workload)?.description ?? '';
    lines.push(`## ${workload} · ${formatBytes(payloadBytes)} sessions`, '', description, '', '| Store | In flight | Threads | ops/s median [min–max] | p50 | p99 | p99.9 | Ratio to ceiling | Notes |', '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |');
    for (const cell of report.results.filter((c) => sameScenario(c, { workload, payloadBytes }))) {
      const s = cell.summary;
      const name = cell.kind === 'store' || cell.kind === 'custom' ? `**${escapeMarkdownCell(cell.target)}**` : escapeMarkdownCell(cell.target);
      lines.push(
        `| ${name} | ${cell.concurrency} | ${cell.workers} | ${s ? `${fmt(s.opsPerSec.median)} [${fmt(s.opsPerSec.min)}–${fmt(s.opsPerSec.max)}]` : '–'} | ${ms(s?.p50)} | ${ms(s?.p99)} | ${ms(s?.p999)} | ${s?.ratioToCeiling !== undefined ? fmt(s.ratioToCeiling, 2) : ''} | ${escapeMarkdownCell(notes(cell))} |`,
      );
    }
    lines.push('');
  }
  lines.push(...goals(report), ...threadScaling(report), ...versusPeers(report), ...versusServerLimit(report), ...latencyCosts(report));
  if (report.openLoop.length > 0) {
    lines.push('## Open loop', '', 'A fixed arrival rate (a fraction of each target\'s measured capacity at the highest concurrency); latency counts from each operation\'s intended start, so stalls are not hidden (coordinated omission corrected).', '', '| Workload | Payload | Store | Target rate | Achieved | p50 | p99 | p99.9 | Notes |', '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of report.openLoop) {
      const m = r.measurement;
      const shortfall = m?.rateShortfall;
      lines.push(
        `| ${r.workload} | ${formatBytes(r.payloadBytes)} | ${escapeMarkdownCell(r.target)} | ${fmt(m?.targetRate)}/s | ${fmt(m?.opsPerSec)}/s | ${shortfall ? '–' : ms(m?.latency.all?.p50)} | ${shortfall ? '–' : ms(m?.latency.all?.p99)} | ${shortfall ? '–' : ms(m?.latency.all?.p999)} | ${escapeMarkdownCell(r.failed ?? (shortfall ? 'rate not achieved: latency not reported' : ''))} |`,
      );
    }
    lines.push('');
  }
  if (report.machinery) {
    const { checker, hotIdChecker, suiteWallMs } = report.machinery;
    const checked = (c: typeof checker, over: string) => `${c.operations.toLocaleString('en-US')} operations ${over} checked in ${c.elapsedMs} ms (${fmt(c.opsPerSec)} ops/s)`;
    lines.push('## Conformance machinery', '', `Linearizability checker: ${checked(checker, `over ${checker.sessions} sessions`)}; ${checked(hotIdChecker, 'on one hot session')}.`, '', `Full conformance suite wall time: ${Object.entries(suiteWallMs).map(([k, v]) => `${k} ${fmt(v)} ms`).join(', ')}.`, '');
    if (report.machinery.micro.length === 0) lines.push('Per-call micro costs: not measured (tinybench is not installed).', '');
    else {
      lines.push(`Per-call micro costs (tinybench, ${formatBytes(report.config.payloads[0]!)} sessions):`, '', '| Operation | Mean | p99 | Samples |', '| --- | ---: | ---: | ---: |');
      for (const m of report.machinery.micro) lines.push(`| ${escapeMarkdownCell(m.name)} | ${fmt(m.meanNs)} ns | ${fmt(m.p99Ns)} ns | ${fmt(m.samples)} |`);
      lines.push('');
    }
  }
  if (charts.length) lines.push('## Charts', '', ...charts.map((c) => `![${c}](${c})`), '');
  return `${lines.join('\n')}\n`;
}

/** Every (workload, payload) pair of a configuration, in report order. */
function scenariosOf(config: BenchConfig): { workload: string; payloadBytes: number }[] {
  return config.workloads.flatMap((workload) => config.payloads.map((payloadBytes) => ({ workload, payloadBytes })));
}

function charts(report: BenchReport): Record<string, string> {
  const files: Record<string, string> = {};
  for (const scenario of scenariosOf(report.config)) {
    const { workload, payloadBytes } = scenario;
    const slug = `${workload}-${payloadBytes}B`;
    const title = `${workload}, ${formatBytes(payloadBytes)} sessions`;
    // The one-thread comparison cells have their own table.
    const cells = report.results.filter((c) => sameScenario(c, scenario) && !c.oneWorker);
    // A store and its raw driver share a family: the chart pairs them. The no-op store pairs with nothing.
    const targets = [...new Map(cells.map((c) => [c.target, { name: c.target, family: c.kind === 'noop' ? undefined : c.family, reference: c.kind === 'ceiling' }])).values()];
    const groups = report.config.concurrency.map((c) => `${c} in flight`);
    files[`bench-throughput-${slug}.svg`] = renderBarChart({
      title: `${title}: throughput by store and concurrency`,
      unit: 'ops/s (median)',
      log: true,
      groups,
      series: targets.map((t) => ({ ...t, values: report.config.concurrency.map((c) => cells.find((x) => x.target === t.name && x.concurrency === c)?.summary?.opsPerSec.median ?? null) })),
    });
    const top = Math.max(...report.config.concurrency);
    files[`bench-latency-${slug}.svg`] = renderBarChart({
      title: `${title}: latency percentiles at ${top} in flight`,
      unit: 'ms',
      log: true,
      groups: ['p50', 'p99', 'p99.9'],
      series: targets.map((t) => {
        const s = cells.find((x) => x.target === t.name && x.concurrency === top)?.summary;
        return { ...t, values: s ? [s.p50, s.p99, s.p999] : [null, null, null] };
      }),
    });
  }
  return files;
}

/** github-action-benchmark's customBiggerIsBetter / customSmallerIsBetter, and Bencher's BMF. */
export function derivedViews(report: BenchReport): Record<string, unknown> {
  const cells = report.results.filter((c) => c.summary);
  const name = cellKey;
  return {
    'github-action-benchmark-throughput.json': cells.map((c) => ({ name: name(c), unit: 'ops/s', value: c.summary!.opsPerSec.median, range: `${c.summary!.opsPerSec.min}–${c.summary!.opsPerSec.max}` })),
    'github-action-benchmark-latency.json': cells.map((c) => ({ name: `${name(c)} p99`, unit: 'ms', value: c.summary!.p99 })),
    'bencher.json': Object.fromEntries(
      cells.map((c) => [
        name(c),
        {
          throughput: { value: c.summary!.opsPerSec.median, lower_value: c.summary!.opsPerSec.min, upper_value: c.summary!.opsPerSec.max },
          latency: { value: Math.round(c.summary!.p99 * 1e6) },
        },
      ]),
    ),
  };
}

export async function writeBenchReport(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const chartFiles = charts(report);
  const files: Record<string, string> = {
    'bench.json': `${JSON.stringify(report, null, 2)}\n`,
    'bench.md': renderBenchMarkdown(report, Object.keys(chartFiles)),
    'bench.html': renderBenchHtml(report, renderBenchMarkdown(report, []), chartFiles),
    ...chartFiles,
    ...Object.fromEntries(Object.entries(derivedViews(report)).map(([file, value]) => [file, `${JSON.stringify(value, null, 2)}\n`])),
  };
  await Promise.all(Object.entries(files).map(([file, text]) => writeFile(join(dir, file), text)));
  return Object.keys(files).map((f) => join(dir, f));
}
