/** Levels decide the verdict: MUST fails, SHOULD warns (fails under strict), INFO only informs. */
import { describe, expect, it } from 'vitest';
import { checkConformance, renderMarkdown } from '../entry/index.js';
import { statusFor } from '../suite/verdict.js';
import { defects } from './broken/defects.js';

describe('statusFor', () => {
  it.each([
    ['MUST', 'held', false, 'pass'],
    ['MUST', 'broke', false, 'fail'],
    ['MUST', 'inconclusive', false, 'inconclusive'],
    ['MUST', 'inconclusive', true, 'fail'],
    ['SHOULD', 'broke', false, 'warn'],
    ['SHOULD', 'broke', true, 'fail'],
    ['SHOULD', 'inconclusive', false, 'inconclusive'],
    ['SHOULD', 'inconclusive', true, 'fail'],
    ['INFO', 'held', true, 'pass'],
    ['INFO', 'broke', false, 'info'],
    ['INFO', 'broke', true, 'info'],
    ['INFO', 'inconclusive', true, 'inconclusive'],
  ] as const)('%s clause that %s (strict: %s) is %s', (level, outcome, strict, status) => {
    expect(statusFor(level, outcome, strict)).toBe(status);
  });
});

describe('a SHOULD failure warns, and fails only under strict', () => {
  // Without the atomicPop promise, a double pop breaks only the SHOULD form of atomic-pop.
  const nonAtomic = defects.find((d) => d.name === 'pop is a get, then a delete')!.target;

  it('is reported as warn, and the run is ok', async () => {
    const report = await checkConformance(nonAtomic, { only: ['atomic-pop'], seed: 1, numRuns: 10 });
    expect(report).toMatchObject({ ok: true, strict: false, summary: { warn: 1, fail: 0 } });
    expect(report.clauses[0]).toMatchObject({ id: 'atomic-pop', level: 'SHOULD', status: 'warn', anomaly: 'double pop' });
    const md = renderMarkdown(report);
    expect(md).toContain('**OK**: 0 passed, 0 failed, 1 warned, 0 inconclusive, 0 informational, 0 skipped');
    expect(md).toMatch(/\| `atomic-pop` .* \| SHOULD \| ⚠️ warn \| \d+ ms \| double pop.* \|/);
    expect(md).toContain('## Warnings (SHOULD)\n\n### `atomic-pop` (SHOULD)');
  });

  it('fails with strict: true, and with SESSION_CONFORMANCE_STRICT=1', async () => {
    const strict = await checkConformance(nonAtomic, { only: ['atomic-pop'], seed: 1, numRuns: 10, strict: true });
    expect(strict).toMatchObject({ ok: false, strict: true, summary: { warn: 0, fail: 1 } });
    expect(renderMarkdown(strict)).toContain('**NOT OK** (strict)');
    process.env.SESSION_CONFORMANCE_STRICT = '1';
    try {
      const fromEnv = await checkConformance(nonAtomic, { only: ['atomic-pop'], seed: 1, numRuns: 10 });
      expect(fromEnv).toMatchObject({ ok: false, strict: true });
      // The option wins over the environment.
      expect(await checkConformance(nonAtomic, { only: ['atomic-pop'], seed: 1, numRuns: 10, strict: false })).toMatchObject({ ok: true, strict: false });
    } finally {
      delete process.env.SESSION_CONFORMANCE_STRICT;
    }
  });

  it('declared atomic, the same store fails the MUST form', async () => {
    const report = await checkConformance({ ...nonAtomic, atomicPop: true }, { only: ['atomic-pop'], seed: 1, numRuns: 10 });
    expect(report).toMatchObject({ ok: false, summary: { fail: 1 } });
    expect(report.clauses[0]).toMatchObject({ level: 'MUST', status: 'fail' });
  });
});

describe('an INFO clause never fails', () => {
  const down = defects.find((d) => d.name === 'every call rejects: the backend is down')!.target;

  it('reports what broke as info, strict or not', async () => {
    for (const strict of [false, true]) {
      const report = await checkConformance(down, { only: ['lost-update'], seed: 1, numRuns: 10, strict });
      expect(report.ok).toBe(true);
      expect(report.clauses[0]).toMatchObject({ level: 'INFO', status: 'info' });
      expect(report.clauses[0]!.error).toContain('backend down');
    }
  });
});
