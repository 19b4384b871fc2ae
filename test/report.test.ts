import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConformance, CLAUSE_IDS, renderMarkdown, type ConformanceReport } from '../entry/index.js';
import { escapeMarkdownCell } from '../suite/report.js';
import { MemoryStore } from '../stores/index.js';
import { defects } from './broken/defects.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('report');

describe('conformance report', () => {
  it('writes JSON and Markdown per store with status, level, duration, seed and counterexample', async () => {
    const broken = defects.find((d) => d.name.startsWith('pop returns'))!;
    await checkConformance({ ...broken.target, name: 'Pop | keeps <b>it</b>' }, { seed: 5, numRuns: 20, report: dir });
    const json = JSON.parse(readFileSync(join(dir, 'conformance-pop-keeps-b-it-b.json'), 'utf8')) as ConformanceReport;
    expect(json.schemaVersion).toBe(3);
    expect(json).toMatchObject({ ok: false, strict: false });
    expect(json.store).toBe('Pop | keeps <b>it</b>');
    expect(json.versions['session-store-conformance']).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.versions['fast-check']).toMatch(/^4\./);
    expect(new Date(json.date).getTime()).not.toBeNaN();
    expect(json.capabilities).toEqual({ touch: true, update: false, createId: false });
    const pop = json.clauses.find((c) => c.id === 'pop')!;
    expect(pop).toMatchObject({ status: 'fail', level: 'MUST', seed: 5 });
    expect(pop.counterexample).toBeTruthy();
    expect(pop.durationMs).toBeGreaterThanOrEqual(0);
    expect(json.clauses.map((c) => c.id)).toEqual([...CLAUSE_IDS]);

    const md = readFileSync(join(dir, 'conformance-pop-keeps-b-it-b.md'), 'utf8');
    expect(md).toContain('# Session store conformance: Pop &#124; keeps &lt;b&gt;it&lt;/b&gt;');
    expect(md).toContain('| Clause | Level | Status | Time | Detail |');
    expect(md).toMatch(/\| `pop` pop returns the live value and removes it \| MUST \| ❌ fail \| \d+ ms \| .+ \|/);
    expect(md).toContain('## Failures');
    // Every table row has exactly the header's five cells: nothing from the store broke the table.
    for (const row of md.split('\n').filter((l) => l.startsWith('| `'))) expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
  });

  it('gives the event-loop delay of each real-time clause, in the JSON and in one Markdown line', async () => {
    const report = await checkConformance({ name: 'loop', open: () => new MemoryStore() }, { numRuns: 3, only: ['absent', 'expiry'], report: false });
    const [absent, expiry] = report.clauses;
    expect(absent!.loopDelayMs).toBeUndefined();
    expect(expiry!.loopDelayMs).toBeGreaterThanOrEqual(0);
    // What held the loop, split: the parts add up to the delay (each rounded to 0.1 ms).
    const { coreWaitMs, gcMs, storeMs, suiteMs } = expiry!.loopDelayCauses!;
    expect(Math.abs(coreWaitMs + gcMs + storeMs + suiteMs - expiry!.loopDelayMs!)).toBeLessThan(0.5);
    expect(expiry!.suiteHeldMs).toBeGreaterThanOrEqual(0);
    expect(expiry!.storeHeldMs).toBeGreaterThanOrEqual(0);
    expect(renderMarkdown(report)).toContain(
      `Event-loop delay during real-time clauses: up to ${expiry!.loopDelayMs} ms, the suite's own share up to ${expiry!.suiteHeldMs} ms (\`expiry\` ${expiry!.loopDelayMs} ms (suite ${expiry!.suiteHeldMs}))`,
    );
    // On an injected clock there is no loop to be late for.
    const injected = await checkConformance({ name: 'loop', clock: 'injected', open: ({ clock }) => new MemoryStore({ clock }) }, { numRuns: 3, only: ['expiry'], report: false });
    expect(injected.clauses[0]!.loopDelayMs).toBeUndefined();
    expect(renderMarkdown(injected)).not.toContain('Event-loop delay');
  });

  it('escapes store text so it cannot break a table or inject HTML', () => {
    expect(escapeMarkdownCell('a|b <script>x</script>\n`c` *d*')).toBe('a&#124;b &lt;script&gt;x&lt;/script&gt;<br>&#96;c&#96; \\*d\\*');
  });

  it('fences counterexamples so backticks inside cannot close the block', () => {
    const report = {
      schemaVersion: 3, ok: false, strict: false, store: 's', date: '2030-01-01T00:00:00.000Z', seed: 1, numRuns: 1,
      target: { clock: 'system', ttlResolutionMs: 1, maxDataBytes: 1, sharedBackend: false, atomicPop: false },
      capabilities: null, versions: {}, summary: { pass: 0, fail: 1, warn: 0, inconclusive: 0, info: 0, skipped: 0 },
      clauses: [{ id: 'pop', title: 't', level: 'MUST', status: 'fail', durationMs: 1, seed: 1, numRuns: 1, error: 'e', counterexample: 'x ``` y' }],
    } satisfies ConformanceReport;
    expect(renderMarkdown(report)).toContain('````text\nx ``` y\n````');
  });

  it('gives each verdict its icon and each non-pass its section, with the findings', () => {
    const result = (id: 'expiry' | 'atomic-pop' | 'lost-update', level: 'MUST' | 'SHOULD' | 'INFO', status: 'warn' | 'inconclusive' | 'info', text: string) =>
      ({ id, title: 't', level, status, durationMs: 1, seed: 1, numRuns: 1, ...(status === 'inconclusive' ? { reason: text } : { error: text }), findings: { n: 1 } });
    const md = renderMarkdown({
      schemaVersion: 3, ok: true, strict: false, store: 's', date: '2030-01-01T00:00:00.000Z', seed: 1, numRuns: 1,
      target: { clock: 'system', ttlResolutionMs: 1, maxDataBytes: 1, sharedBackend: false, atomicPop: false },
      capabilities: null, versions: {}, summary: { pass: 0, fail: 0, warn: 1, inconclusive: 1, info: 1, skipped: 0 },
      clauses: [
        result('expiry', 'MUST', 'inconclusive', 'machine too slow: 3 of 12 expiry checks before the deadline judged'),
        result('atomic-pop', 'SHOULD', 'warn', 'double pop'),
        result('lost-update', 'INFO', 'info', 'counter reads 17'),
      ],
    });
    expect(md).toContain('**OK**: 0 passed, 0 failed, 1 warned, 1 inconclusive, 1 informational, 0 skipped');
    expect(md).toContain('| `expiry` t | MUST | ❔ inconclusive | 1 ms | machine too slow: 3 of 12 expiry checks before the deadline judged |');
    expect(md).toContain('| `atomic-pop` t | SHOULD | ⚠️ warn | 1 ms | double pop |');
    expect(md).toContain('| `lost-update` t | INFO | ℹ️ info | 1 ms | counter reads 17 |');
    expect(md).toMatch(/## Warnings \(SHOULD\)\n\n### `atomic-pop` \(SHOULD\)\n\ndouble pop\n\nFindings: \{"n":1\}/);
    expect(md).toMatch(/## Inconclusive\n\n### `expiry` \(MUST\)\n\nmachine too slow/);
    expect(md).toMatch(/## Information \(INFO\)\n\n### `lost-update` \(INFO\)\n\ncounter reads 17/);
    expect(md).not.toContain('## Failures');
  });

  it('goes to SESSION_CONFORMANCE_REPORT_DIR unless report is false', async () => {
    const envDir = join(dir, 'from-env');
    process.env.SESSION_CONFORMANCE_REPORT_DIR = envDir;
    try {
      await checkConformance({ name: 'quiet', open: () => new MemoryStore() }, { numRuns: 5, only: ['absent'], report: false });
      expect(existsSync(join(envDir, 'conformance-quiet.json'))).toBe(false);
      await checkConformance({ name: 'loud', open: () => new MemoryStore() }, { numRuns: 5, only: ['absent'] });
      expect(existsSync(join(envDir, 'conformance-loud.json'))).toBe(true);
      expect(existsSync(join(envDir, 'conformance-loud.md'))).toBe(true);
    } finally {
      delete process.env.SESSION_CONFORMANCE_REPORT_DIR;
    }
  });
});
