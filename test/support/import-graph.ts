/**
 * The import graph of the source tree as written: every static import and re-export, type-only
 * included, and every `import('…')` (dynamic, or in a type position), between files of this repo.
 * Type-only edges count because a type cycle still ties the files' meaning together even where
 * the compiler erases it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
const NOT_SOURCE = new Set(['node_modules', '.tmp', '.git', 'dist', 'reports']);

// `import … from '…'`, `export … from '…'` and `import '…'` begin a statement: the same words
// inside a template literal (a fixture's source, written to a temporary directory) do not.
const STATEMENTS = /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\bfrom\s*)?(['"])([^'"]+)\1/gm;
// `import('…')`, dynamic or in a type position, can sit anywhere in an expression.
const CALLS = /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g;

/** Comments hold examples (`import x from './y.js'` in a doc comment) that are not imports. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

export function sourceFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (NOT_SOURCE.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(root, path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [relative(root, path)] : [];
  });
}

/** `./x.js` is written for `./x.ts` under NodeNext; `./x.mjs` for `./x.mts`. */
function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  const written = resolve(root, dirname(from), specifier);
  const candidates = [written, written.replace(/\.js$/, '.ts'), written.replace(/\.mjs$/, '.mts'), written.replace(/\.cjs$/, '.cts')];
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile());
  return found && relative(root, found);
}

/** A script may import the build (`../dist/…`): output, not source, and absent before a build. */
function outsideSource(root: string, from: string, specifier: string): boolean {
  const [top] = relative(root, resolve(root, dirname(from), specifier)).split(sep);
  return NOT_SOURCE.has(top!);
}

export interface ImportGraph {
  edges: Map<string, Set<string>>;
  /** Relative specifiers that name no file: a parse this test cannot trust. */
  unresolved: string[];
}

export function importGraph(root: string): ImportGraph {
  const edges = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(root)) {
    const targets = new Set<string>();
    const text = withoutComments(readFileSync(join(root, file), 'utf8'));
    for (const [, , specifier] of text.matchAll(STATEMENTS)) {
      if (!specifier!.startsWith('.') || outsideSource(root, file, specifier!)) continue;
      const target = resolveSpecifier(root, file, specifier!);
      if (target) targets.add(target);
      else unresolved.push(`${file}: ${specifier}`);
    }
    // A call naming no file here is a fixture's text (`import('./stores/memory.js')` in a string).
    for (const [, , specifier] of text.matchAll(CALLS)) {
      const target = specifier!.startsWith('.') ? resolveSpecifier(root, file, specifier!) : undefined;
      if (target) targets.add(target);
    }
    edges.set(file, targets);
  }
  return { edges, unresolved };
}

/** Strongly connected components of more than one file (or a file importing itself), Tarjan's way. */
function tangledComponents(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || edges.get(node)?.has(node)) components.push(component.sort());
  }
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest way from `start` back to itself inside its component: one cycle a reader can follow. */
function shortestCycle(edges: Map<string, Set<string>>, start: string, within: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

/** One line per tangle: its size and one cycle through its first file, `a -> b -> a`. */
export function importCycles(edges: Map<string, Set<string>>): string[] {
  return tangledComponents(edges).map((component) => {
    const cycle = shortestCycle(edges, component[0]!, new Set(component));
    return `${component.length} file(s) tangled, e.g. ${cycle.join(' -> ')}`;
  });
}
