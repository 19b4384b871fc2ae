/**
 * No import cycle anywhere in the tree, type-only imports and re-exports included: a cycle, even
 * one the compiler erases, means two files can only be understood together. Between top-level
 * folders too: `suite/` re-exporting `adapters/`, which reach `suite/` back through `stores/`, is
 * a cycle no single file shows.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './support/import-graph.js';

const root = resolve(import.meta.dirname, '..');
const { edges, unresolved } = importGraph(root);

/** Files grouped by top-level folder, an edge wherever a file of one imports a file of another. */
function folderGraph(): Map<string, Set<string>> {
  const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of edges) {
    const from = folderOf(file);
    const out = folders.get(from) ?? new Set<string>();
    folders.set(from, out);
    for (const target of targets) if (folderOf(target) !== from) out.add(folderOf(target));
  }
  return folders;
}

describe('the import graph', () => {
  it('is parsed whole: every relative import names a file of the tree', () => {
    expect(unresolved).toEqual([]);
    // The parse sees the imports it must: a known type-only edge and a known re-export.
    expect(edges.get('suite/target.ts')).toContain('suite/options.ts');
    expect(edges.get('entry/core.ts')).toContain('adapters/index.ts');
  });

  it('has no cycle between files', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('has no cycle between top-level folders', () => {
    expect(importCycles(folderGraph())).toEqual([]);
  });
});

describe('the cycle finder', () => {
  const graph = (pairs: [string, string][]) => {
    const g = new Map<string, Set<string>>();
    for (const [a, b] of pairs) {
      g.set(a, (g.get(a) ?? new Set()).add(b));
      if (!g.has(b)) g.set(b, new Set());
    }
    return g;
  };

  it('names each tangle once, with one cycle a reader can follow', () => {
    expect(importCycles(graph([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['x', 'y'], ['y', 'x']]))).toEqual(['3 file(s) tangled, e.g. a -> b -> c -> a', '2 file(s) tangled, e.g. x -> y -> x']);
  });

  it('finds a file that imports itself, and nothing in a graph without cycles', () => {
    expect(importCycles(graph([['a', 'a']]))).toEqual(['1 file(s) tangled, e.g. a -> a']);
    expect(importCycles(graph([['a', 'b'], ['b', 'c'], ['a', 'c']]))).toEqual([]);
  });
});
