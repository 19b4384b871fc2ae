/** A small grouped-bar-chart writer: enough for CI artifacts, no browser or library needed. */

export interface BarChart {
  title: string;
  unit: string;
  /** A log scale, for values spanning orders of magnitude (a no-op store beside a network round trip). */
  log?: boolean;
  groups: string[];
  series: { name: string; values: (number | null)[] }[];
}

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= value)!;
}

export function renderBarChart(chart: BarChart): string {
  const width = 760;
  const left = 80;
  const top = 40;
  const plotHeight = 260;
  const legendHeight = 18 * Math.ceil(chart.series.length / 3);
  const height = top + plotHeight + 40 + legendHeight;
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v != null && v > 0));
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
  let y: (v: number) => number;
  let ticks: number[];
  if (chart.log) {
    const lo = 10 ** Math.floor(Math.log10(values.length ? Math.min(...values) : 1));
    const hi = Math.max(10 ** Math.ceil(Math.log10(values.length ? Math.max(...values) : 10)), lo * 10);
    const span = Math.round(Math.log10(hi) - Math.log10(lo));
    y = (v: number) => top + plotHeight - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / span) * plotHeight;
    ticks = Array.from({ length: span + 1 }, (_, i) => lo * 10 ** i);
  } else {
    const max = niceMax(Math.max(0, ...values));
    y = (v: number) => top + plotHeight - (v / max) * plotHeight;
    ticks = Array.from({ length: 5 }, (_, i) => (max / 4) * i);
  }
  const groupWidth = (width - left - 20) / Math.max(chart.groups.length, 1);
  const barWidth = Math.max(2, (groupWidth * 0.8) / Math.max(chart.series.length, 1));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`,
  ];
  for (const v of ticks) {
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${escapeXml(compact.format(v))}</text>`);
  }
  parts.push(`<text x="16" y="${top + plotHeight / 2}" transform="rotate(-90 16 ${top + plotHeight / 2})" text-anchor="middle">${escapeXml(chart.log ? `${chart.unit}, log scale` : chart.unit)}</text>`);
  chart.groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + groupWidth * 0.1;
    chart.series.forEach((series, s) => {
      const value = series.values[g];
      if (value == null) return;
      const x = x0 + s * barWidth;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${(top + plotHeight - y(value)).toFixed(1)}" fill="${COLORS[s % COLORS.length]}"><title>${escapeXml(`${series.name}, ${group}: ${value}`)}</title></rect>`);
    });
    parts.push(`<text x="${(x0 + groupWidth * 0.4).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle">${escapeXml(group)}</text>`);
  });
  chart.series.forEach((series, s) => {
    const x = left + (s % 3) * 230;
    const yy = top + plotHeight + 36 + Math.floor(s / 3) * 18;
    parts.push(`<rect x="${x}" y="${yy - 9}" width="10" height="10" fill="${COLORS[s % COLORS.length]}"/><text x="${x + 14}" y="${yy}">${escapeXml(series.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
