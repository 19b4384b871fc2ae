/**
 * --peers: the published express-session stores (bench/published-stores.ts), each beside the
 * reference store of its backend. They are the user's packages, not ours: a missing one is named,
 * with what to install, before anything runs.
 */
import { UsageError } from '../command/usage-error.js';
import { systemClock } from '../suite/contract.js';
import { PUBLISHED, publishedStore, type PostgresPlace, type PublishedName, type RedisPlace } from './published-stores.js';
import { serverCpuProbe } from './server-side.js';
import type { BenchTarget, OpenedStore, Recipe, TargetUrls } from './targets.js';


function assertInstalled(names: readonly PublishedName[]): void {
  for (const name of new Set(names.flatMap((n) => PUBLISHED[n].packages))) {
    try {
      // Resolved as an import would: connect-redis 11 is an ES module with no `require` entry.
      import.meta.resolve(name);
    } catch (cause) {
      throw new UsageError(`--peers needs ${name}: npm install express-session memorystore connect-redis@11 redis@5 connect-pg-simple@10 pg`, { cause });
    }
  }
}

/** A published store as express-session would call it; closing it ends its timers and connections. */
async function opened(name: PublishedName, place?: RedisPlace | PostgresPlace): Promise<OpenedStore> {
  const published = await publishedStore(name, place);
  const store = await published.target.open({ clock: systemClock });
  return { ...store, close: async () => void (await store.close?.(), await published.close()) };
}

/** Opens a published store that lives on a server, in whichever thread asks. */
export function openPeer(recipe: Extract<Recipe, { from: 'peer' }>): Promise<OpenedStore> {
  if (recipe.name !== 'connect-redis' && recipe.name !== 'connect-pg-simple') throw new Error(`no published store ${recipe.name} on a server`);
  return opened(recipe.name, { url: recipe.url });
}

/** The published stores whose backend is available: the in-process ones always, connect-redis with a Redis URL, connect-pg-simple with a PostgreSQL one. */
export function peerTargets(urls: TargetUrls): BenchTarget[] {
  const targets: BenchTarget[] = [
    { name: 'express-session MemoryStore', kind: 'peer', family: 'memory', open: () => opened('express-session MemoryStore') },
    { name: 'memorystore', kind: 'peer', family: 'memory', open: () => opened('memorystore') },
  ];
  if (urls.redis) {
    const recipe: Recipe = { from: 'peer', name: 'connect-redis', url: urls.redis };
    targets.push({ name: 'connect-redis', kind: 'peer', family: 'redis', open: () => openPeer(recipe), recipe, serverCpu: serverCpuProbe('redis', urls.redis) });
  }
  if (urls.postgres) {
    const recipe: Recipe = { from: 'peer', name: 'connect-pg-simple', url: urls.postgres };
    targets.push({ name: 'connect-pg-simple', kind: 'peer', family: 'postgres', open: () => openPeer(recipe), recipe });
  }
  // A peer target is named after its published store.
  assertInstalled(targets.map((t) => t.name as PublishedName));
  return targets;
}
