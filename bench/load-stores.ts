/**
 * Stores named with --store: a module loaded exactly as the conformance CLI loads one (a target,
 * a store, an express-session or a koa-session store), or a store URL. A store that declares a
 * shared backend gets a recipe, so that every load-generating thread loads it with its own
 * connections; any other store stays in the main thread.
 */
import { resolve } from 'node:path';
import { fromExpressStore, fromKoaStore } from '../adapters/index.js';
import { isStoreUrl, loadTarget } from '../command/load-target.js';
import { systemClock } from '../suite/contract.js';
import { closeExport } from '../suite/shutdown.js';
import { resolveTarget, type ResolvedTarget } from '../suite/target.js';
import type { BenchTarget, OpenedStore } from './targets.js';

const ADAPTERS = { express: fromExpressStore, koa: fromKoaStore };

/** What the modules loaded in this thread exported: the bench closes them when it is done. */
const exports = new Set<unknown>();

/** A module or a store URL, loaded exactly as the conformance command loads it. */
async function resolveSpec(spec: string): Promise<ResolvedTarget> {
  return resolveTarget((await loadTarget(spec, ADAPTERS, undefined, (exported) => exports.add(exported))).target);
}

/** Closes what the --store modules exported (their own close()); resolves to what went wrong. */
export async function closeSpecExports(): Promise<string[]> {
  const loaded = [...exports];
  exports.clear();
  const problems = await Promise.all(loaded.map(closeExport));
  return problems.filter((problem): problem is string => problem !== undefined).map((problem) => `a --store module's default export: ${problem}`);
}

/** Opens one store of a spec; an instance the module handed in is left open, as the suite leaves it. */
export async function openSpec(spec: string, resolved?: ResolvedTarget): Promise<OpenedStore> {
  const target = resolved ?? (await resolveSpec(spec));
  const store = await target.open(systemClock);
  // Bound, not wrapped by prototype: a store class's private fields need the instance as `this`.
  return {
    get: store.get.bind(store),
    set: store.set.bind(store),
    pop: store.pop.bind(store),
    ...(store.touch && { touch: store.touch.bind(store) }),
    ...(store.update && { update: store.update.bind(store) }),
    close: async () => void (target.closesStores ? await store.close?.() : undefined),
  };
}

/** Bench targets for --store specs, named after the store (a clash gets the spec appended). */
export async function specTargets(specs: readonly string[], taken: readonly string[]): Promise<BenchTarget[]> {
  const names = new Set(taken);
  const targets: BenchTarget[] = [];
  for (const given of specs) {
    const spec = isStoreUrl(given) ? given : resolve(given);
    const resolved = await resolveSpec(spec);
    const name = names.has(resolved.name) ? `${resolved.name} (${given})` : resolved.name;
    names.add(name);
    targets.push({ name, kind: 'custom', family: name, open: () => openSpec(spec, resolved), ...(resolved.sharedBackend && { recipe: { from: 'module', spec } }) });
  }
  return targets;
}
