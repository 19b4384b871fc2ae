/**
 * The chart writer's promises, read back from the SVG text: each store stands beside its
 * ceiling in one hue, the smallest bar stays visible on a log axis, and the file is well-formed.
 * No pixel snapshots: geometry and paint are asserted, not appearance.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logAxis, renderBarChart, type BarChart } from '../../bench/svg.js';

interface Bar {
  x: number;
  width: number;
  height: number;
  fill: string;
  stroke?: string;
  title: string;
}

function bars(svg: string): Bar[] {
  const rect = /<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"(?: stroke="([^"]+)")?><title>([^<]*)<\/title><\/rect>/g;
  return [...svg.matchAll(rect)].map((m) => ({ x: Number(m[1]), width: Number(m[2]), height: Number(m[3]), fill: m[4]!, stroke: m[5], title: m[6]! }));
}

const bar = (svg: string, title: string) => bars(svg).find((b) => b.title.startsWith(title))!;

/** Tags balance and nest, attributes are quoted, every `&` starts an entity: what an XML parser would reject. */
function wellFormedProblems(svg: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  for (const [tag, closing, name, attributes, selfClosing] of svg.matchAll(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (closing) {
      if (open.pop() !== name) problems.push(`unexpected ${tag}`);
    } else if (!selfClosing) open.push(name!);
    if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(attributes!)) problems.push(`bare & in ${tag}`);
  }
  const stray = svg.replace(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '');
  if (/[<>]/.test(stray)) problems.push(`unparsed markup: ${/[^\n]*[<>][^\n]*/.exec(stray)![0]}`);
  if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(stray)) problems.push('bare & in text');
  if (open.length) problems.push(`unclosed ${open.join(', ')}`);
  return problems;
}

/** Families given out of order, a ceiling before its store: the writer, not the caller, does the pairing. */
const throughput: BarChart = {
  title: 'session-mix & friends: <throughput>',
  unit: 'ops/s (median)',
  log: true,
  groups: ['1 in flight', '16 in flight'],
  series: [
    { name: 'no-op', values: [1_940_000, 1_670_000] },
    { name: 'sqlite (raw better-sqlite3)', family: 'sqlite', reference: true, values: [38_900, 47_100] },
    { name: 'memory', family: 'memory', values: [535_000, 491_000] },
    { name: 'sqlite', family: 'sqlite', values: [10_800, 47_900] },
    { name: 'memory (raw Map)', family: 'memory', reference: true, values: [525_000, null] },
  ],
};

describe('bar charts', () => {
  const svg = renderBarChart(throughput);

  it('draws each store immediately left of its ceiling, in the same hue, the ceiling hatched', () => {
    for (const group of throughput.groups) {
      const store = bar(svg, `sqlite, ${group}`);
      const ceiling = bar(svg, `sqlite (raw better-sqlite3), ${group}`);
      expect(ceiling.x - (store.x + store.width)).toBeCloseTo(1, 0);
      expect(ceiling.fill).toMatch(/^url\(#[\w-]+\)$/);
      expect(ceiling.stroke).toBe(store.fill);
      // The hatch is drawn in the store's hue over a lighter tint of it.
      const pattern = new RegExp(`<pattern id="${ceiling.fill.slice(5, -1)}"[^>]*><rect [^>]*fill="(#\\w+)"/><line [^>]*stroke="${store.fill}"`).exec(svg);
      expect(pattern).not.toBeNull();
      expect(pattern![1]).not.toBe(store.fill);
    }
    expect(bar(svg, 'memory (raw Map), 1 in flight').stroke).toBe(bar(svg, 'memory, 1 in flight').fill);
  });

  it('gives each family its own hue and leaves series of no family grey', () => {
    const hues = new Set(['no-op', 'memory', 'sqlite'].map((name) => bar(svg, `${name}, 1 in flight`).fill));
    expect(hues.size).toBe(3);
    expect(bar(svg, 'no-op, 1 in flight').stroke).toBeUndefined();
  });

  it('keeps a missing value as an empty slot, so the pairs of other groups stay aligned', () => {
    expect(bars(svg).filter((b) => b.title.startsWith('memory (raw Map)'))).toHaveLength(1);
    const offset = (name: string, group: string) => bar(svg, `${name}, ${group}`).x - bar(svg, `no-op, ${group}`).x;
    expect(offset('sqlite', '16 in flight')).toBeCloseTo(offset('sqlite', '1 in flight'), 5);
  });

  it('says the ratio to the ceiling in the store bar’s tooltip', () => {
    expect(bar(svg, 'sqlite, 1 in flight').title).toBe('sqlite, 1 in flight: 10,800 (0.2776× sqlite (raw better-sqlite3))');
  });

  it('puts the log floor far enough below the smallest value that its bar is plainly visible', () => {
    // The case that prompted this: a 10.8k ops/s bar on a 10K floor was a sliver.
    expect(logAxis([10_800, 1_940_000]).lo).toBe(1000);
    expect(bar(svg, 'sqlite, 1 in flight').height).toBeGreaterThan(40);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), { minLength: 1 }), (values) => {
        const { lo, hi } = logAxis(values);
        expect(Math.min(...values) / lo).toBeGreaterThanOrEqual(10 ** 0.5 * (1 - 1e-12));
        expect(hi).toBeGreaterThanOrEqual(Math.max(...values));
        expect(Number.isInteger(Math.round(Math.log10(lo) * 1e9) / 1e9)).toBe(true);
      }),
      { seed: Number(process.env.SESSION_CONFORMANCE_SEED) },
    );
  });

  it('labels ticks compactly, without rounding small latencies to 0', () => {
    const ticks = (text: string) => [...text.matchAll(/<text [^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks(svg)).toEqual(['1K', '10K', '100K', '1M', '10M']);
    const latency = renderBarChart({ title: 'latency', unit: 'ms', log: true, groups: ['p50'], series: [{ name: 'memory', family: 'memory', values: [0.007] }, { name: 'memory (raw Map)', family: 'memory', reference: true, values: [2.5] }] });
    expect(ticks(latency)).toEqual(['0.001', '0.01', '0.1', '1', '10']);
  });

  it('is well-formed XML, with text from the caller escaped', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>\n[\s\S]*<\/svg>\n$/);
    expect(svg).toContain('session-mix &amp; friends: &lt;throughput&gt;');
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(wellFormedProblems('<svg><g></svg>')).not.toEqual([]);
    expect(wellFormedProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    for (const [, id] of svg.matchAll(/url\(#([\w-]+)\)/g)) expect(svg).toContain(`<pattern id="${id}"`);
  });
});
