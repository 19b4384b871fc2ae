/**
 * The HTML reports in a real browser (headless Chromium): a passing store, a broken store per
 * concurrency anomaly, a faults failure, a bench report and the matrix. Each page must load with
 * no console error and no network request, draw its grid and lanes, mark where the history got
 * stuck, show values on hover and focus, and leave inert the script a hostile store slips into
 * its name, its errors and its data. Screenshots go to reports/html-report/ (CI artifacts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_SCHEMA_VERSION, writeBenchReport } from '../bench/report.js';
import type { BenchReport, CellResult } from '../bench/types.js';
import { parseBenchArgs } from '../bench/args.js';
import { renderMatrixHtml } from '../matrix/html.js';
import { MemoryStore } from '../stores/index.js';
import { checkConformance, type ConformanceReport, type StoreFactory } from '../entry/index.js';
import { jsonForScript } from '../suite/html/escape.js';
import { inline } from '../suite/html/markdown.js';
import { renderHtml } from '../suite/html/report.js';
import { drawViolation } from '../suite/linearizability/drawing.js';
import { checkHistory, describeViolation, type Operation } from '../suite/linearizability/index.js';
import { reportFileStem } from '../suite/report.js';
import { defects } from './broken/defects.js';
import { browserFor, type Browser, type Page } from './support/browser.js';
import { forgetful } from './support/forgetful-store.js';
import { findOp, hotHistory } from './support/hot-history.js';

const OUT = join(import.meta.dirname, '..', 'reports', 'html-report');
/** What a hostile store puts in its name, its errors and its data: each would run if it reached the page unescaped. */
const PROBE = '</script><script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">\u2028<!--';

const defect = (name: string): StoreFactory => {
  const found = defects.find((d) => d.name === name);
  if (!found) throw new Error(`no broken store named "${name}"`);
  return found.target;
};

/** Double pop through a pop that keeps the session, data the store made up, and a touch that rejects: all carrying the probe. */
class HostileStore extends MemoryStore {
  override async pop(id: string) {
    const data = await this.get(id);
    return data && { ...data, probe: PROBE };
  }
  override async touch(): Promise<boolean> {
    throw new Error(PROBE);
  }
}

const PASSING_CLAUSES = ['round-trip', 'absent', 'pop', 'expiry', 'atomic-pop', 'interleavings', 'concurrency', 'no-resurrection'] as const;

const KINDS: { file: string; anomaly?: string; run: () => Promise<ConformanceReport> }[] = [
  { file: 'passing', run: () => checkConformance({ name: 'memory', clock: 'injected', ...MemoryStore.declares, open: ({ clock }) => new MemoryStore({ clock }) }, { only: [...PASSING_CLAUSES], numRuns: 5, seed: 1 }) },
  { file: 'double-pop', anomaly: 'double pop', run: () => checkConformance(defect('pop is a get, then a delete, though declared atomic'), { only: ['atomic-pop'], seed: 1 }) },
  { file: 'lost-write', run: () => checkConformance(defect('pop deletes whatever is there, even a newer write, though declared atomic'), { only: ['interleavings'], seed: 1 }) },
  { file: 'resurrection', anomaly: 'resurrection after pop', run: () => checkConformance(defect('touch is a get and a set of the old data'), { only: ['no-resurrection'], seed: 1 }) },
  { file: 'faults', anomaly: 'lost write', run: () => checkConformance(forgetful(), { only: ['faults'], seed: 7 }) },
  { file: 'hostile', run: () => checkConformance({ name: PROBE, clock: 'injected', atomicPop: true, open: ({ clock }) => new HostileStore({ clock }) }, { only: ['touch', 'atomic-pop'], seed: 1, numRuns: 5 }) },
];

function benchReport(): BenchReport {
  const cell = (target: string, kind: CellResult['kind'], family: string, median: number, extra: Partial<CellResult> = {}): CellResult => ({
    workload: 'session-mix', payloadBytes: 1024, target, kind, family, concurrency: 64, workers: 2, runs: [],
    summary: { opsPerSec: { median, min: median * 0.9, max: median * 1.1 }, p50: 1, p99: 4, p999: 8, clientBound: false, errors: 0 },
    ...extra,
  });
  const { config } = parseBenchArgs(['--workers', '2', '--peers', '--concurrency', '64']);
  const results = [
    cell('redis', 'store', 'redis', 45_000, { summary: { opsPerSec: { median: 45_000, min: 40_000, max: 50_000 }, p50: 1, p99: 4, p999: 8, clientBound: false, errors: 0, ratioToFastestPeer: 0.9, ratioToCeiling: 0.8 } }),
    cell('redis (raw ioredis)', 'ceiling', 'redis', 56_000),
    cell('connect-redis', 'peer', 'redis', 50_000),
    cell(PROBE, 'peer', 'redis', 20_000),
  ];
  return { schemaVersion: BENCH_SCHEMA_VERSION, generatedAt: '2030-01-01T00:00:00.000Z', environment: { node: 'v24', os: 'Linux', cpus: { model: 'x', count: 2 }, loadAverage: [0, 0, 0], memoryGiB: 8, gitCommit: null, packages: {}, servers: { [PROBE]: '1' } }, config: { ...config, workloads: ['session-mix'], payloads: [1024] }, results, openLoop: [] };
}

/**
 * A hot session of 2,000 operations with a read, half-way, of a value written 600 operations
 * earlier: a stale read whose evidence lies far outside the excerpt around the stuck read.
 */
function hotViolation() {
  const ops = hotHistory(2000);
  const k = findOp(ops, 1000, (op, i) => i % 10 === 8 && Math.floor(i / 10) % 5 !== 0);
  const old = findOp(ops, k - 600, (op) => op.op === 'set');
  ops[k] = { ...ops[k]!, output: ops[old]!.input.data };
  const v = checkHistory(ops).violations[0]!;
  return { v, k, old, drawing: drawViolation(v, { context: 'hot' }) };
}

/**
 * A session read 20 ms after its 10 ms TTL ran out (2 ms of tolerance), by hand on real time: the
 * checker names it, and its deadline window lies inside the history's span.
 */
function expiryViolation() {
  const op = (client: number, o: Operation['op'], call: number, ret: number, input: Operation['input'], output?: unknown): Operation => ({ client, op: o, id: 'exp', input, output, call, ret });
  const ops = [op(0, 'set', 0.4, 1.3, { data: { v: 1 }, ttlMs: 10 }), op(1, 'get', 4.2, 5.1, {}, { v: 1 }), op(0, 'touch', 6.5, 7.7, { ttlMs: 10 }, true), op(1, 'get', 30.6, 31.4, {}, { v: 1 })];
  const v = checkHistory(ops, { toleranceMs: 2 }).violations[0]!;
  return { v, drawing: drawViolation(v, { toleranceMs: 2, context: 'by hand' }) };
}

describe('a long hot history, drawn as an excerpt', () => {
  it('keeps the operations around the stuck read and the evidence wherever it lies, and counts the rest', () => {
    const { v, k, old, drawing } = hotViolation();
    expect(drawing.total).toBe(2000);
    expect(drawing.operations.length + drawing.omitted.before + drawing.omitted.after).toBe(2000);
    expect(drawing.operations.length).toBeLessThanOrEqual(400 + (v.evidence?.length ?? 0) + 1);
    expect(drawing.operations.find((op) => op.stuck)).toMatchObject({ index: k, op: 'get' });
    expect(drawing.operations.find((op) => op.index === old)).toMatchObject({ op: 'set', evidence: true });
    expect(drawing.omitted.before).toBeGreaterThan(0);
    expect(drawing.prefixLength).toBe(v.longestPrefix.length);
  });
});

describe('HTML escaping, without a browser', () => {
  it('inline JSON cannot close its script element or end a line early', () => {
    const text = jsonForScript({ name: PROBE, sep: '\u2029' });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ name: PROBE, sep: '\u2029' });
  });

  it('Markdown escapes come out as their characters, never as markup', () => {
    expect(inline('**a** \\*b\\* `c` &lt;img&gt; &#124; x<br>y')).toBe('<strong>a</strong> *b* <code>c</code> &lt;img&gt; | x<br>y');
    expect(inline(PROBE)).not.toMatch(/<(script|img)/i);
  });
});

const reports = new Map<string, ConformanceReport>();
const files = new Map<string, string>();
const found = await browserFor();
const browser: Browser | undefined = 'browser' in found ? found.browser : undefined;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  for (const kind of KINDS) {
    const report = await kind.run();
    reports.set(kind.file, report);
    const file = join(OUT, `${kind.file}.html`);
    writeFileSync(file, renderHtml(report));
    files.set(kind.file, file);
  }
  const hot = hotViolation();
  const passing = reports.get('passing')!;
  const failed = { ...passing.clauses.find((c) => c.id === 'concurrency')!, status: 'fail' as const, error: describeViolation(hot.v, 'hot'), anomaly: hot.v.anomaly, history: hot.drawing };
  files.set('hot', join(OUT, 'hot.html'));
  writeFileSync(files.get('hot')!, renderHtml({ ...passing, store: 'a hot session', ok: false, clauses: [failed] }));
  const expiry = expiryViolation();
  files.set('expiry', join(OUT, 'expiry.html'));
  writeFileSync(files.get('expiry')!, renderHtml({ ...passing, store: 'expiry by hand', ok: false, clauses: [{ ...failed, error: describeViolation(expiry.v, 'by hand'), anomaly: expiry.v.anomaly, history: expiry.drawing }] }));
  const [benchHtml] = (await writeBenchReport(join(OUT, 'bench'), benchReport())).filter((f) => f.endsWith('.html'));
  files.set('bench', benchHtml!);
  const columns = ['passing', 'double-pop', 'lost-write', 'resurrection', 'hostile'].map((k) => ({ column: k === 'hostile' ? PROBE : k, published: k === 'resurrection', report: reports.get(k)! }));
  files.set('matrix', join(OUT, 'matrix.html'));
  writeFileSync(files.get('matrix')!, renderMatrixHtml(columns, new Date('2030-01-01')));
}, 240_000);

afterAll(() => browser?.close());

/** Loads a page, checks what every page must hold, and leaves a screenshot. */
async function load(kind: string, options: { colorScheme?: 'dark' } = {}): Promise<Page> {
  const { page, errors, requests } = await browser!.open(files.get(kind)!, options);
  await page.waitForLoadState('load');
  expect(errors, 'console errors').toEqual([]);
  expect(requests, 'network requests').toEqual([]);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.locator('script').count()).toBe(2);
  await page.screenshot({ path: join(OUT, `${kind}${options.colorScheme ? `-${options.colorScheme}` : ''}.png`), fullPage: true });
  return page;
}

async function hoverShows(page: Page, selector: string, text: string | RegExp): Promise<void> {
  const bar = page.locator(selector).first().locator('rect.bar');
  await bar.scrollIntoViewIfNeeded();
  await bar.hover();
  await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);
  expect(await page.locator('#tooltip').textContent()).toMatch(text);
}

// Without Chromium the drawings are not checked: the tests are listed as skipped, with the reason.
(browser ? describe : describe.skip)(`HTML reports in headless Chromium${'skip' in found ? `: ${found.skip}` : ''}`, () => {
  it('a passing store: the grid, every clause passed, no drawing', async () => {
    const page = await load('passing');
    expect(await page.locator('.verdict-grid tbody tr').count()).toBe(PASSING_CLAUSES.length);
    expect(await page.locator('.verdict-grid .s-pass').count()).toBe(PASSING_CLAUSES.length);
    expect(await page.locator('svg.drawing').count()).toBe(0);
    await page.close();
  });

  for (const kind of ['double-pop', 'lost-write', 'resurrection'] as const) {
    it(`a ${kind}: the lanes drawn, the stuck operation marked, its values on hover and focus, the jump to it`, async () => {
      const report = reports.get(kind)!;
      const failed = report.clauses.find((c) => c.status === 'fail')!;
      expect(failed.history, 'the failure carries its history').toBeDefined();
      // A pop that deletes a newer write is a lost write, or a double pop when two pops read the value first.
      expect(kind === 'lost-write' ? ['lost write', 'double pop'] : [KINDS.find((k) => k.file === kind)!.anomaly]).toContain(failed.anomaly);
      const page = await load(kind);
        expect(await page.locator('.verdict-grid .s-fail').count()).toBe(1);
      const clients = new Set(failed.history!.operations.map((op) => op.client)).size;
      expect(await page.locator('svg.history .lane-label').count()).toBe(clients);
      expect(await page.locator('svg.history .op').count()).toBe(failed.history!.operations.length);
      expect(await page.locator('svg.history .op.stuck').count()).toBe(1);
      expect(await page.locator('svg.history .op.in-prefix').count()).toBe(failed.history!.operations.filter((op) => op.prefixIndex !== undefined).length);
      const stuck = failed.history!.operations.find((op) => op.stuck)!;
      await hoverShows(page, 'svg.history .op.stuck', `→ ${stuck.result}`);
      expect(await page.locator('#tooltip').textContent()).toContain('stuck here');
      // The keyboard path: the jump button focuses the stuck bar, and focus shows its values.
      await page.mouse.move(0, 0);
      await page.getByRole('button', { name: 'Jump to the stuck operation' }).focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate("document.activeElement?.classList.contains('stuck')")).toBe(true);
      await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);
      // Zoom and the real-time scale re-lay the bars out.
      const before = await page.locator('svg.history').getAttribute('width');
      await page.getByRole('button', { name: 'zoom in' }).click();
      expect(Number(await page.locator('svg.history').getAttribute('width'))).toBeGreaterThan(Number(before));
      await page.getByRole('button', { name: 'Real time' }).click();
      expect(await page.getByRole('button', { name: 'Real time' }).getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('.replay code').textContent()).toContain(`only: ['${failed.id}']`);
      await page.getByRole('button', { name: 'Copy' }).click();
      await expect.poll(() => page.locator('.replay [aria-live]').textContent()).toMatch(/copied|selected/);
      await page.close();
    });
  }

  it('a read after expiry: the deadline windows of the write and the touch drawn as marks across the lanes, on either scale', async () => {
    const { v, drawing } = expiryViolation();
    expect(v.anomaly).toBe('resurrection after expiry');
    const inSpan = drawing.operations.filter((op) => op.deadline);
    expect(inSpan.map((op) => op.deadline)).toEqual([{ earliest: 8.4, latest: 13.3 }, { earliest: 14.5, latest: 19.7 }]);
    const page = await load('expiry');
    expect(await page.locator('svg.history line.deadline').count()).toBe(2 * inSpan.length);
    expect(await page.locator('svg.history rect.deadline-band').count()).toBe(inSpan.length);
    await hoverShows(page, 'svg.history .op.stuck', /→ \{"v":1\}/);
    await hoverShows(page, 'svg.history .op.in-prefix', /deadline between 8\.4 ms and 13\.3 ms/);
    const mark = page.locator('svg.history line.deadline').first();
    const before = await mark.getAttribute('x1');
    await page.getByRole('button', { name: 'Real time' }).click();
    expect(await mark.getAttribute('x1')).not.toBe(before);
    await page.close();
  });

  it('a long hot history: an excerpt with the stuck read reached by the jump, and zoom', async () => {
    const page = await load('hot');
    const scroller = page.locator('.drawing-box .scroll');
    expect(await scroller.count()).toBe(1);
    await page.getByRole('button', { name: 'Jump to the stuck operation' }).click();
    expect(await page.evaluate("document.activeElement?.classList.contains('stuck')")).toBe(true);
    const scrolled = (await page.evaluate("document.querySelector('.drawing-box .scroll').scrollLeft")) as number;
    expect(scrolled).toBeGreaterThan(0);
    // The client labels stay in view.
    await expect.poll(() => page.locator('svg.history .lane-labels').getAttribute('transform')).toBe(`translate(${scrolled} 0)`);
    await expect.poll(() => page.locator('#tooltip').textContent()).toContain('stuck here');
    expect(await page.locator('svg.history .op.evidence').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'zoom out' }).click();
    expect(await page.locator('.zoom-level').textContent()).toBe('67%');
    await page.close();
  });

  it('a faults failure: fault and heal marks, the unavailable window, the lost sessions marked with their values on hover', async () => {
    const failed = reports.get('faults')!.clauses[0]!;
    expect(failed).toMatchObject({ status: 'fail', anomaly: 'lost write' });
    const page = await load('faults');
    expect(await page.locator('svg.faults line.fault').count()).toBe(1);
    expect(await page.locator('svg.faults line.heal').count()).toBe(2);
    expect(await page.locator('svg.faults .lane-bg.harmed').count()).toBe(failed.faults!.sessions.filter((s) => s.anomalies.length > 0).length);
    expect(await page.locator('svg.faults .op.finding').count()).toBeGreaterThan(0);
    await hoverShows(page, 'svg.faults .op.finding', /lost write: expected #\d+/);
    expect(await page.getByText('Recovery after each fault').count()).toBe(1);
    await page.close();
  });

  it('a hostile store: its name, error and data show as text and run nothing, in dark mode too', async () => {
    const report = reports.get('hostile')!;
    expect(report.clauses.find((c) => c.id === 'touch')!.error).toContain(PROBE);
    expect(JSON.stringify(report.clauses.find((c) => c.id === 'atomic-pop')!.history)).toContain('probe');
    const page = await load('hostile', { colorScheme: 'dark' });
    expect(await page.locator('h1').textContent()).toContain(PROBE);
    expect(await page.locator('details.clause pre').first().textContent()).toContain(PROBE);
    await hoverShows(page, 'svg.history .op.in-prefix, svg.history .op.stuck', /./);
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(13, 17, 23)');
    await page.close();
  });

  it('a bench report: the charts inline, the tables, the vs-published table sortable by keyboard', async () => {
    const page = await load('bench');
    expect(await page.locator('figure.chart svg').count()).toBe(2);
    const peers = page.locator('h2#vs-published-stores ~ table').first();
    const storeColumn = () => peers.locator('tbody tr td:nth-child(5)').allTextContents();
    const unsorted = await storeColumn();
    expect(unsorted).toContain(PROBE);
    await peers.getByRole('button', { name: 'Store' }).focus();
    await page.keyboard.press('Enter');
    expect(await peers.locator('th').nth(4).getAttribute('aria-sort')).toBe('ascending');
    expect(await storeColumn()).toEqual([...unsorted].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await page.keyboard.press('Enter');
    expect(await peers.locator('th').nth(4).getAttribute('aria-sort')).toBe('descending');
    await page.close();
  });

  it('the matrix: a store × clause grid, each failure one click from its history', async () => {
    const page = await load('matrix');
    expect(await page.locator('.grid-matrix thead th').count()).toBe(2 + 5);
    expect(await page.locator('details.clause[open]').count()).toBe(0);
    const link = page.locator('.grid-matrix tr').filter({ has: page.locator('th', { hasText: 'atomic-pop' }) }).locator('a').first();
    await link.click();
    const target = page.locator('details.clause:target');
    expect(await target.count()).toBe(1);
    expect(await target.getAttribute('open')).not.toBeNull();
    expect(await target.locator('svg.history .op.stuck').count()).toBe(1);
    await page.close();
  });
});

describe('the report option', () => {
  it('writes conformance-<store>.html beside the JSON and Markdown', async () => {
    const dir = join(OUT, 'option');
    await checkConformance({ name: 'memory', open: () => new MemoryStore() }, { only: ['round-trip'], numRuns: 2, report: dir });
    const html = readFileSync(join(dir, `${reportFileStem('memory')}.html`), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(link|img)\b|src=|https?:\/\//);
  });
});
