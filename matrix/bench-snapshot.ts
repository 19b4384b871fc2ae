/** A full bench run's comparisons, dated, beside the conformance verdicts in docs/matrix.md. */
import type { BenchReport } from '../bench/types.js';
import { goals, latencyCosts, threadScaling, versusPeers, versusServerLimit } from '../bench/report-tables.js';

export function renderBenchSnapshot(report: BenchReport): string {
  const { environment: env, config } = report;
  const lines = [
    '',
    `# Benchmark snapshot (${report.generatedAt.slice(0, 10)})`,
    '',
    `From \`npm run bench -- --peers --stores ${config.stores.join(',')}\` on ${env.os}, ${env.cpus.count} × ${env.cpus.model}, ${env.memoryGiB} GiB, Node ${env.node}, load average ${env.loadAverage.map((l) => l.toFixed(2)).join(' ')}; servers: ${Object.entries(env.servers).map(([name, version]) => `${name} ${version}`).join(', ')}. ${config.runs} runs of ${config.durationMs} ms per cell, targets interleaved. One machine, one run: differences under about 10%, or inside the runs' min–max, are noise (\`npm run bench -- compare\` tests significance).`,
    '',
    ...goals(report),
    ...versusPeers(report),
    ...versusServerLimit(report),
    ...latencyCosts(report),
    ...threadScaling(report),
  ];
  return `${lines.join('\n')}\n`;
}
