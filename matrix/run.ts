/**
 * npm run matrix: the suite over the reference stores and the published express stores, on
 * provisioned servers, written to docs/matrix.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { provision, type Server } from '../servers/index.js';
import { checkConformance } from '../suite/run.js';
import type { BenchReport } from '../bench/report.js';
import { renderMatrixHtml } from './html.js';
import { renderMatrix, type MatrixColumn } from './render.js';
import { renderBenchSnapshot } from './bench-snapshot.js';
import { matrixStores } from './stores.js';

const root = resolve(import.meta.dirname, '..', '..');
// `npm run matrix -- --bench reports/bench.json` puts a full bench run's numbers beside the verdicts.
const benchAt = process.argv.indexOf('--bench');
const bench = benchAt >= 0 ? (JSON.parse(readFileSync(resolve(process.argv[benchAt + 1] ?? ''), 'utf8')) as BenchReport) : undefined;
const out = join(root, 'docs', 'matrix.md');
const outHtml = join(root, 'docs', 'matrix.html');

const servers: Server[] = [];
const dir = mkdtempSync(join(tmpdir(), 'scc-matrix-'));
try {
  for (const backend of ['redis', 'memcached'] as const) servers.push(await provision(backend, { containers: false }));
  const [redis, memcached] = servers;
  const { stores, close } = await matrixStores({ redis: redis!.url, memcached: memcached!.url }, dir);
  const columns: MatrixColumn[] = [];
  try {
    for (const [i, { column, target }] of stores.entries()) {
      process.stderr.write(`[${i + 1}/${stores.length}] ${column}…`);
      const started = performance.now();
      // Every store on the same seed: a difference between columns is the stores', not the seed's.
      const report = await checkConformance(target, { seed: 20261126, report: false });
      process.stderr.write(` ${Object.entries(report.summary).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ')} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      columns.push({ column, published: 'inputValidatedBy' in target && target.inputValidatedBy !== undefined, report });
    }
  } finally {
    await close();
  }
  const date = new Date();
  writeFileSync(out, renderMatrix(columns, date) + (bench ? renderBenchSnapshot(bench) : ''));
  writeFileSync(outHtml, renderMatrixHtml(columns, date));
  console.log(`wrote ${out} and ${outHtml}`);
} finally {
  await Promise.allSettled(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
