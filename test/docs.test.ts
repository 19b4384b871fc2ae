import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { clauseSections, clauseTable, dedent, levelTable, renderDocs, replaceGenerated } from '../docgen/clause-docs.js';
import { clauses } from '../suite/clauses/index.js';

const root = resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The Markdown files a reader follows links through. */
const DOCS = ['README.md', 'CONTRIBUTING.md', 'docs/contract.md', 'docs/ecosystem.md', 'docs/faults.md', 'docs/matrix.md'];

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const outsideCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of outsideCode.matchAll(/^#{1,6} (.*)$/gm)) {
    const slug = heading!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

describe('docs generated from the clause objects', () => {
  it('README.md and docs/contract.md hold exactly what the clause objects render (else: run npm run docs)', () => {
    for (const [file, text] of renderDocs(clauses, read)) {
      expect(read(file), `${file} differs from what the clause objects generate: run npm run docs`).toBe(text);
    }
  });

  it('renders one row and one section per clause, in the order of the clause list', () => {
    const ids = clauses.map((clause) => clause.id);
    expect([...clauseTable(clauses).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])).toEqual(ids);
    expect([...levelTable(clauses).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])).toEqual(ids);
    expect([...clauseSections(clauses).matchAll(/^## `([a-z-]+)` — /gm)].map((m) => m[1])).toEqual(ids);
  });

  it('gives a level rule exactly to the clauses whose level depends on the target', () => {
    for (const clause of clauses) expect(clause.doc.levelRule !== undefined, clause.id).toBe(clause.levelFor !== undefined);
  });

  it('dedents a text indented as the source is, keeping relative indentation and blank lines', () => {
    expect(dedent('\n      a\n\n        b\n      c\n    ')).toBe('a\n\n  b\nc');
    expect(dedent('one line')).toBe('one line');
  });

  it('refuses a file without the markers rather than writing nothing', () => {
    expect(() => replaceGenerated('# no markers\n', 'clause-table', 'x')).toThrow(/no <!-- BEGIN GENERATED clause-table/);
  });
});

describe('links between the docs', () => {
  it('finds the anchors GitHub makes, outside code blocks, repeats numbered', () => {
    expect(anchorsOf('# Levels and verdicts\n## `refused-ids` — Ids (**SHOULD**; **MUST** with `ids`)\n```\n# not a heading\n```\n## Faults\n## Faults')).toEqual(
      new Set(['levels-and-verdicts', 'refused-ids--ids-should-must-with-ids', 'faults', 'faults-1']),
    );
  });

  it.each(DOCS)('every relative link in %s reaches a file, and every #anchor a heading there', (file) => {
    const text = read(file).replace(/^```[\s\S]*?^```/gm, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const linked = path === '' ? file : join(dirname(file), path);
      if (!existsSync(join(root, linked))) {
        broken.push(`${target} (no ${linked})`);
        continue;
      }
      if (anchor !== undefined && !anchorsOf(read(linked)).has(anchor)) broken.push(`${target} (no heading with that anchor in ${linked})`);
    }
    expect(broken).toEqual([]);
  });
});
