/**
 * The few Markdown forms the reports write (headings, paragraphs, lists, quotes, tables, bold,
 * emphasis, code) as HTML, so that an HTML page shows the same text and tables as its .md twin
 * without a second renderer of the same figures. Every character is escaped on the way: text the
 * Markdown escaped (escapeMarkdownCell) comes out as the literal character, never as markup.
 */
import { esc, slug } from './escape.js';

/** Markdown's backslash escapes, held as private-use characters until the markup is read. */
const HELD = 0xe000;
const hold = (c: string) => String.fromCharCode(HELD + c.charCodeAt(0));
const ENTITY: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&#124;': hold('|'), '&#96;': hold('`'), '&quot;': '"', '&amp;': '&' };

export function inline(text: string): string {
  const held = text
    .replace(/\\([\\*_[\]#~`|])/g, (_, c: string) => hold(c))
    .replace(/&(lt|gt|#124|#96|quot|amp);/g, (m) => ENTITY[m]!)
    .replace(/<br>/g, '\n');
  return esc(held)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*\s][^*]*)\*/g, '<em>$1</em>')
    .replace(/\n/g, '<br>')
    .replace(/[\ue000-\ue0ff]/g, (c) => esc(String.fromCharCode(c.charCodeAt(0) - HELD)));
}

const cells = (row: string) => row.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

function table(rows: string[]): string {
  const [head, align, ...body] = rows;
  const numeric = cells(align!).map((a) => a.endsWith(':') && !a.startsWith(':'));
  const td = (c: string, i: number) => `<td${numeric[i] ? ' class="num"' : ''}>${inline(c)}</td>`;
  return [
    '<table class="sortable">',
    `<thead><tr>${cells(head!).map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead>`,
    `<tbody>${body.map((r) => `<tr>${cells(r).map(td).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

/** Block by block: a run of lines of one kind (table rows, list items, quote lines) is one block. */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let i = 0;
  const run = (test: (line: string) => boolean): string[] => {
    const block: string[] = [];
    while (i < lines.length && test(lines[i]!)) block.push(lines[i++]!);
    return block;
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const heading = /^(#{1,4}) (.*)$/.exec(line);
    if (line.trim() === '') i++;
    else if (heading) {
      const level = heading[1]!.length;
      out.push(`<h${level} id="${slug(heading[2]!)}">${inline(heading[2]!)}</h${level}>`);
      i++;
    } else if (line.startsWith('|')) out.push(table(run((l) => l.startsWith('|'))));
    else if (line.startsWith('- ')) out.push(`<ul>${run((l) => l.startsWith('- ')).map((l) => `<li>${inline(l.slice(2))}</li>`).join('')}</ul>`);
    else if (line.startsWith('> ')) out.push(`<blockquote><p>${inline(run((l) => l.startsWith('> ')).map((l) => l.slice(2)).join(' '))}</p></blockquote>`);
    else out.push(`<p>${inline(run((l) => l.trim() !== '' && !/^(#{1,4} |\||- |> )/.test(l)).join(' '))}</p>`);
  }
  return out.join('\n');
}
