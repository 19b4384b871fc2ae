/**
 * One shard of a matrix run, in a process of its own (`node dist/matrix/shard.js k n out.json`,
 * the run's backends in MATRIX_BACKENDS): the stores whose index is k modulo n, one after another,
 * each on the same seed (only the columns MATRIX_COLUMNS lists, when it lists some). Shards run
 * side by side on separate cores; inside one, the real-time clauses of two stores never share an
 * event loop.
 */
import { writeFileSync } from 'node:fs';
import { checkConformance } from '../suite/run.js';
import type { MatrixColumn } from './render.js';
import { MATRIX_DIR } from './published/packages.js';
import { MATRIX_STORES } from './stores.js';

/** The seed every store runs on: a difference between columns is the stores', not the seed's. */
export const MATRIX_SEED = 20261126;

const [k, n, out] = process.argv.slice(2);
const backends = JSON.parse(process.env.MATRIX_BACKENDS ?? '{}');
const only = process.env.MATRIX_COLUMNS ? (JSON.parse(process.env.MATRIX_COLUMNS) as string[]) : undefined;
const root = process.cwd();
const columns: MatrixColumn[] = [];
for (const [i, store] of MATRIX_STORES.entries()) {
  if (i % Number(n) !== Number(k) || (only && !only.includes(store.column))) continue;
  const started = performance.now();
  // A report lists the versions installed where the store comes from: matrix/ for a published one.
  process.chdir(store.published ? MATRIX_DIR : root);
  const { target, close } = await store.open(backends);
  try {
    const report = await checkConformance(target, { seed: MATRIX_SEED, report: false });
    columns.push({ column: store.column, published: store.published !== undefined, report });
    const summary = Object.entries(report.summary).filter(([, count]) => count > 0).map(([status, count]) => `${count} ${status}`).join(', ');
    process.stderr.write(`${store.column}: ${summary} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  } finally {
    await close();
  }
}
process.chdir(root);
writeFileSync(out!, JSON.stringify(columns));
// Drivers that keep a handle open (a pool's idle timer) must not hold the shard.
process.exit(0);
