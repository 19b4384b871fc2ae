/**
 * --peers: published express-session stores (the three of the conformance matrix) through
 * fromExpressStore, each beside the reference store of its backend. They are the user's packages,
 * not ours: loaded only when asked for, with a message naming what to install.
 */
import { createRequire } from 'node:module';
import { fromExpressStore } from '../adapters/index.js';
import type { ExpressStoreLike } from '../adapters/index.js';
import { UsageError } from '../cli/load-target.js';
import { systemClock } from '../suite/contract.js';
import type { BenchTarget, OpenedStore, Recipe, TargetUrls } from './targets.js';

const require = createRequire(import.meta.url);

function load<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (cause) {
    throw new UsageError(`--peers needs ${name}: npm install express-session memorystore connect-redis@7 ioredis`, { cause });
  }
}

type ExpressSession = { MemoryStore: new () => ExpressStoreLike };

/** Adapts a published store as express-session would call it; `quit` closes what it connected. */
async function adapted(name: string, store: ExpressStoreLike, quit: () => Promise<unknown> = async () => {}): Promise<OpenedStore> {
  const opened = await fromExpressStore(store, { name }).open({ clock: systemClock });
  return { ...opened, close: async () => void (await opened.close?.(), await quit()) };
}

async function connectRedisStore(url: string): Promise<OpenedStore> {
  const { Redis } = load<typeof import('ioredis')>('ioredis');
  const RedisStore = load<{ default: new (options: { client: unknown }) => ExpressStoreLike }>('connect-redis').default;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  await client.connect();
  return adapted('connect-redis', new RedisStore({ client }), () => client.quit());
}

/** Opens a published store that lives on a server, in whichever thread asks. */
export function openPeer(recipe: Extract<Recipe, { from: 'peer' }>): Promise<OpenedStore> {
  if (recipe.name !== 'connect-redis') throw new Error(`no published store ${recipe.name} on a server`);
  return connectRedisStore(recipe.url);
}

/** The published stores whose backend is available: the in-process ones always, connect-redis with a Redis URL. */
export function peerTargets(urls: TargetUrls): BenchTarget[] {
  const session = load<ExpressSession>('express-session');
  const createMemoryStore = load<(s: ExpressSession) => new (options: object) => ExpressStoreLike>('memorystore');
  const MemoryStore = createMemoryStore(session);
  const targets: BenchTarget[] = [
    { name: 'express-session MemoryStore', kind: 'peer', family: 'memory', open: () => adapted('express-session MemoryStore', new session.MemoryStore()) },
    { name: 'memorystore', kind: 'peer', family: 'memory', open: () => adapted('memorystore', new MemoryStore({})) },
  ];
  if (urls.redis) {
    const recipe: Recipe = { from: 'peer', name: 'connect-redis', url: urls.redis };
    targets.push({ name: 'connect-redis', kind: 'peer', family: 'redis', open: () => openPeer(recipe), recipe });
  }
  return targets;
}
