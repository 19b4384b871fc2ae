/** A small grouped-bar-chart writer: enough for CI artifacts, no browser or library needed. */

export interface BarSeries {
  name: string;
  values: (number | null)[];
  /** Series of one family share a hue and stand side by side, so a store and its ceiling read as a pair. None: a neutral grey. */
  family?: string;
  /** The family's yardstick (a raw driver): drawn lighter and hatched, after the series it measures. */
  reference?: boolean;
}

export interface BarChart {
  title: string;
  unit: string;
  /** A log scale, for values spanning orders of magnitude (a no-op store beside a network round trip). */
  log?: boolean;
  groups: string[];
  series: BarSeries[];
}

const HUES = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2', '#edc948'];
const NEUTRAL = '#8c8c8c';

const WIDTH = 760;
const LEFT = 80;
const RIGHT = 20;
const TOP = 40;
const PLOT_HEIGHT = 260;
const BOTTOM = TOP + PLOT_HEIGHT;
/** The smallest bar stands at least this many decades above the log floor, so it never shrinks to a sliver. */
const FLOOR_MARGIN_DECADES = 0.5;
/** The gap between two families inside a group, in bar widths: pairs cluster visibly. */
const FAMILY_GAP = 0.5;
/** The same gap in the legend, in pixels. */
const LEGEND_FAMILY_GAP = 24;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// Significant digits, not fraction digits: a 0.001 ms tick must not print as "0".
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const plain = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** A log axis from whole decades (clean tick labels), its floor far enough below the smallest value to show it. */
export function logAxis(values: number[]): { lo: number; hi: number } {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { lo: 1, hi: 10 };
  const max = Math.max(...positive);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...positive)) - FLOOR_MARGIN_DECADES);
  const hi = 10 ** Math.ceil(Math.log10(max));
  // log10 rounds: a value a hair above a decade can land on that decade and poke out of the plot.
  return { lo, hi: Math.max(hi < max ? hi * 10 : hi, lo * 10) };
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= value)!;
}

function scale(chart: BarChart): { y: (v: number) => number; ticks: number[] } {
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v != null && v > 0));
  if (chart.log) {
    const { lo, hi } = logAxis(values);
    const span = Math.round(Math.log10(hi / lo));
    return {
      y: (v) => BOTTOM - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / span) * PLOT_HEIGHT,
      ticks: Array.from({ length: span + 1 }, (_, i) => lo * 10 ** i),
    };
  }
  const max = niceMax(Math.max(0, ...values));
  return { y: (v) => BOTTOM - (v / max) * PLOT_HEIGHT, ticks: Array.from({ length: 5 }, (_, i) => (max / 4) * i) };
}

interface Cluster {
  hue: string;
  members: BarSeries[];
}

/** Series gathered by family in order of first appearance, the measured series before its reference. */
function clusters(series: BarSeries[]): Cluster[] {
  const byKey = new Map<string | BarSeries, BarSeries[]>();
  for (const s of series) byKey.set(s.family ?? s, [...(byKey.get(s.family ?? s) ?? []), s]);
  let hue = 0;
  return [...byKey.entries()].map(([key, members]) => ({
    hue: typeof key === 'string' ? HUES[hue++ % HUES.length]! : NEUTRAL,
    members: [...members].sort((a, b) => Number(a.reference ?? false) - Number(b.reference ?? false)),
  }));
}

/** The hue mixed with white: a reference bar's background, light enough for the hatch to show. */
function tint(hex: string, amount = 0.65): string {
  const channel = (i: number) => Math.round(parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) * (1 - amount) + 255 * amount);
  return `#${[0, 1, 2].map((i) => channel(i).toString(16).padStart(2, '0')).join('')}`;
}

const patternId = (cluster: number) => `reference-${cluster}`;
const hatch = (hue: string, cluster: number) =>
  `<pattern id="${patternId(cluster)}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${tint(hue)}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${hue}" stroke-width="2"/></pattern>`;
const paint = (hue: string, cluster: number, reference: boolean | undefined) => (reference ? `fill="url(#${patternId(cluster)})" stroke="${hue}"` : `fill="${hue}"`);

/** The measured series' value over its reference's, for the tooltip: the ratio the pair is drawn to show. */
function ratioNote(cluster: Cluster, series: BarSeries, g: number): string {
  const reference = cluster.members.find((m) => m.reference);
  const value = series.values[g];
  const base = reference?.values[g];
  if (series.reference || !reference || value == null || !base) return '';
  return ` (${plain.format(value / base)}× ${reference.name})`;
}

/** Legend entries flow left to right, a family never split across lines. */
function legend(all: Cluster[]): { parts: string[]; height: number } {
  const entryWidth = (s: BarSeries) => 14 + s.name.length * 6.5 + 14;
  const parts: string[] = [];
  let x = LEFT;
  let row = 0;
  all.forEach((cluster, c) => {
    const width = cluster.members.reduce((sum, s) => sum + entryWidth(s), 0) + LEGEND_FAMILY_GAP;
    if (x > LEFT && x + width > WIDTH - RIGHT) [x, row] = [LEFT, row + 1];
    const y = BOTTOM + 36 + row * 18;
    for (const s of cluster.members) {
      parts.push(`<rect x="${x}" y="${y - 9}" width="10" height="10" ${paint(cluster.hue, c, s.reference)}/><text x="${x + 14}" y="${y}">${escapeXml(s.name)}</text>`);
      x += entryWidth(s);
    }
    x += LEGEND_FAMILY_GAP;
  });
  return { parts, height: 18 * (row + 1) };
}

export function renderBarChart(chart: BarChart): string {
  const { y, ticks } = scale(chart);
  const all = clusters(chart.series);
  const { parts: legendParts, height: legendHeight } = legend(all);
  const height = BOTTOM + 40 + legendHeight;
  const groupWidth = (WIDTH - LEFT - RIGHT) / Math.max(chart.groups.length, 1);
  const slots = chart.series.length + FAMILY_GAP * Math.max(all.length - 1, 0);
  const barWidth = Math.max(2, (groupWidth * 0.84) / Math.max(slots, 1));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<defs>${all.map((cluster, c) => hatch(cluster.hue, c)).join('')}</defs>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`,
  ];
  for (const v of ticks) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${escapeXml(compact.format(v))}</text>`);
  }
  parts.push(`<text x="16" y="${TOP + PLOT_HEIGHT / 2}" transform="rotate(-90 16 ${TOP + PLOT_HEIGHT / 2})" text-anchor="middle">${escapeXml(chart.log ? `${chart.unit}, log scale` : chart.unit)}</text>`);
  chart.groups.forEach((group, g) => {
    const x0 = LEFT + g * groupWidth + groupWidth * 0.08;
    let slot = 0;
    all.forEach((cluster, c) => {
      for (const series of cluster.members) {
        const value = series.values[g];
        const x = x0 + slot * barWidth;
        slot += 1;
        if (value == null) continue;
        const title = `${series.name}, ${group}: ${plain.format(value)}${ratioNote(cluster, series, g)}`;
        parts.push(`<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${(BOTTOM - y(value)).toFixed(1)}" ${paint(cluster.hue, c, series.reference)}><title>${escapeXml(title)}</title></rect>`);
      }
      slot += FAMILY_GAP;
    });
    parts.push(`<text x="${(LEFT + (g + 0.5) * groupWidth).toFixed(1)}" y="${BOTTOM + 16}" text-anchor="middle">${escapeXml(group)}</text>`);
  });
  parts.push(...legendParts, '</svg>');
  return `${parts.join('\n')}\n`;
}
