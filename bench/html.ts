/**
 * bench.html: the benchmark report as one self-contained page. Its text and tables are bench.md's
 * (one source for the figures), its tables sortable, and its charts inline, each store beside
 * its ceiling as the SVG files draw them.
 */
import { esc } from '../suite/html/escape.js';
import { markdownToHtml } from '../suite/html/markdown.js';
import { renderPage } from '../suite/html/page.js';
import type { BenchReport } from './types.js';

/** Each chart's pattern ids made its own: inline in one page, ids share one namespace. */
const ownIds = (svg: string, n: number) => svg.replace(/(id="|url\(#)reference-/g, `$1c${n}-reference-`);

/** `markdown`: bench.md as renderBenchMarkdown writes it, without its chart links (the charts come inline). */
export function renderBenchHtml(report: BenchReport, markdown: string, charts: Record<string, string>): string {
  const figures = Object.entries(charts).map(([file, svg], n) => {
    const title = /<text[^>]*font-size="14">([^<]*)<\/text>/.exec(svg)?.[1] ?? esc(file);
    // The SVG is the chart writer's, which escapes every text it draws.
    return `<figure class="chart">${ownIds(svg.replace(/^<svg /, `<svg role="img" aria-label="${title}" `), n)}<figcaption class="muted">${esc(file)}</figcaption></figure>`;
  });
  const body = `<main>\n${markdownToHtml(markdown)}\n${figures.length ? `<h2 id="charts">Charts</h2>\n${figures.join('\n')}` : ''}\n</main>`;
  return renderPage({ title: `Session store benchmark ${report.generatedAt}`, body });
}
