/**
 * Renders the clause objects' `doc` into the parts of README.md and docs/contract.md that repeat
 * it, and puts them between the files' marker comments. Pure: docgen/run.ts writes the files, and
 * test/docs.test.ts compares them with what this renders.
 */
import type { Clause } from '../suite/clause.js';

/** The generated parts: where each goes, and how it is rendered from the clauses. */
export const GENERATED_PARTS = [
  { file: 'README.md', name: 'clause-table', render: clauseTable },
  { file: 'docs/contract.md', name: 'level-table', render: levelTable },
  { file: 'docs/contract.md', name: 'clause-sections', render: clauseSections },
] as const;

/** Removes the indentation a multi-line text has in the source, and the blank first and last lines. */
export function dedent(text: string): string {
  const lines = text.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const common = Math.min(...indents, Infinity);
  return lines.map((line) => line.slice(Math.min(common, line.length))).join('\n');
}

export function clauseTable(clauses: readonly Clause[]): string {
  const rows = clauses.map((clause) => `| \`${clause.id}\` | ${clause.doc.summary} | ${clause.meaning} |`);
  return ['| id | clause | a failure means |', '| --- | --- | --- |', ...rows].join('\n');
}

export function levelTable(clauses: readonly Clause[]): string {
  const rows = clauses.map((clause) => `| \`${clause.id}\` | ${clause.doc.levelRule ?? clause.level} | ${clause.doc.whyLevel} |`);
  return ['| clause | level | why |', '| --- | --- | --- |', ...rows].join('\n');
}

export function clauseSections(clauses: readonly Clause[]): string {
  return clauses.map((clause) => `## \`${clause.id}\` — ${clause.doc.heading}\n\n${dedent(clause.doc.body)}`).join('\n\n');
}

function markers(name: string): [begin: string, end: string] {
  return [`<!-- BEGIN GENERATED ${name}: from the clause objects by npm run docs; edit suite/clauses/, not here -->`, `<!-- END GENERATED ${name} -->`];
}

/** `text` with the part between `name`'s markers replaced by `content`; throws when the markers are missing. */
export function replaceGenerated(text: string, name: string, content: string): string {
  const [begin, end] = markers(name);
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`no ${begin} … ${end} markers`);
  return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}

/** Each generated file's text as the clause objects make it, from its current text. */
export function renderDocs(clauses: readonly Clause[], read: (file: string) => string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const part of GENERATED_PARTS) {
    const text = texts.get(part.file) ?? read(part.file);
    texts.set(part.file, replaceGenerated(text, part.name, part.render(clauses)));
  }
  return texts;
}
