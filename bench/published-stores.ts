/**
 * The published express-session stores at their current majors (express-session's MemoryStore,
 * memorystore, connect-redis 11 on node-redis 5, connect-pg-simple 10 on pg) through fromExpressStore, declared once as docs/ecosystem.md says to declare them:
 * the bench's --peers, the conformance matrix and their verdict test all build them here. They
 * are the user's packages, not ours: loaded only when a store is built.
 */
import { createRequire } from 'node:module';
import { fromExpressStore, type ExpressStoreLike } from '../adapters/index.js';
import type { StoreDeclarations } from '../suite/contract.js';
import type { StoreFactory } from '../suite/target.js';

/** What each promises; `packages` are what it needs installed, its own first, and what its report lists the versions of. */
export const PUBLISHED = {
  // The in-process two: one process, no backend that another could share.
  'express-session MemoryStore': { packages: ['express-session'] },
  memorystore: { packages: ['memorystore', 'express-session'] },
  'connect-redis': {
    packages: ['connect-redis', 'redis'],
    // TTLs in whole seconds, rounded up (Math.ceil(ms / 1000) from cookie.expires).
    ttlResolutionMs: 1000,
    sharedBackend: true,
  },
  'connect-pg-simple': {
    packages: ['connect-pg-simple', 'pg', 'express-session'],
    // Expiry in whole seconds, rounded up (Math.ceil(expires / 1000)), judged by the app's clock.
    ttlResolutionMs: 1000,
    sharedBackend: true,
  },
} satisfies Record<string, Omit<StoreDeclarations, 'atomicPop'>>;

export type PublishedName = keyof typeof PUBLISHED;

/** Where connect-redis keeps its sessions: a server, and a key prefix (connect-redis's own, `sess:`, when absent). */
export interface RedisPlace {
  url: string;
  prefix?: string;
}

/** Where connect-pg-simple keeps its sessions: a server, and a table (its own default, `session`, when absent). */
export interface PostgresPlace {
  url: string;
  table?: string;
}

export interface PublishedStore {
  target: StoreFactory;
  /** Ends the timers and connections of the store and of every store the target opened. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

type ExpressSession = { MemoryStore: new () => ExpressStoreLike };

/** Builds a published store; one on a server connects to `place` first, so a server that is not there fails here. */
export async function publishedStore(name: PublishedName, place?: RedisPlace | PostgresPlace): Promise<PublishedStore> {
  const declared = { name, ...PUBLISHED[name] };
  switch (name) {
    case 'express-session MemoryStore': {
      const session = require('express-session') as ExpressSession;
      return { target: fromExpressStore(new session.MemoryStore(), declared), close: async () => {} };
    }
    case 'memorystore': {
      const createMemoryStore = require('memorystore') as (s: ExpressSession) => new (options: object) => ExpressStoreLike & { stopInterval(): void };
      const store = new (createMemoryStore(require('express-session') as ExpressSession))({});
      // Its prune timer is unref'd and would not keep a process alive; it is stopped all the same.
      return { target: fromExpressStore(store, declared), close: async () => store.stopInterval() };
    }
    case 'connect-redis':
      if (!place) throw new TypeError('connect-redis needs a Redis server');
      return connectRedis(place as RedisPlace, declared);
    case 'connect-pg-simple':
      if (!place) throw new TypeError('connect-pg-simple needs a PostgreSQL server');
      return connectPgSimple(place as PostgresPlace, declared);
  }
}

async function connectRedis({ url, prefix }: RedisPlace, declared: { name: string } & StoreDeclarations): Promise<PublishedStore> {
  const { createClient } = require('redis') as typeof import('redis');
  // connect-redis 11 is an ES module only (its exports have no `require` condition).
  const { RedisStore } = (await import('connect-redis')) as unknown as { RedisStore: new (options: { client: unknown; prefix?: string }) => ExpressStoreLike };
  // connect-redis keeps the client it was given: each is remembered to close it.
  const clients = new Map<ExpressStoreLike, ReturnType<typeof createClient>>();
  const connect = async () => {
    // As connect-redis's README makes it; a client that cannot connect gives up instead of retrying forever.
    const client = createClient({ url, socket: { reconnectStrategy: (retries) => (retries > 3 ? false : 100) } });
    // Failures surface through the store's callbacks; no stack traces on stderr.
    client.on('error', () => {});
    await client.connect();
    const store = new RedisStore({ client, prefix });
    clients.set(store, client);
    return store;
  };
  const quit = async (store: ExpressStoreLike) => {
    const client = clients.get(store);
    clients.delete(store);
    if (client?.isOpen) await client.close();
  };
  return {
    target: fromExpressStore(await connect(), { ...declared, open: connect, close: quit }),
    close: async () => void (await Promise.allSettled([...clients.keys()].map(quit))),
  };
}

export type PgSimpleStore = ExpressStoreLike & { close(): Promise<void> };

/**
 * A connect-pg-simple store (of the class `PGStore`, from whichever install) on `url`, with its
 * table made; the bench and the matrix open it alike.
 */
export async function connectedPgSimple<S extends PgSimpleStore>(PGStore: new (options: object) => S, url: string, table?: string): Promise<S> {
  // Its own pool on the URL; no prune timer (every 15 min by default: longer than any run here).
  const create = () => new PGStore({ conString: url, tableName: table, createTableIfMissing: true, pruneSessionInterval: false, errorLog: () => {} });
  const ready = (store: S) => new Promise<void>((resolve, reject) => store.get('connect-pg-simple-probe', (error) => (error ? reject(error) : resolve())));
  let store = create();
  // Its first query creates the table. Two stores opened at once may both try, and the loser's
  // queries would all fail: a new store finds the table made.
  await ready(store).catch(async () => {
    await store.close();
    store = create();
    await ready(store);
  });
  return store;
}

async function connectPgSimple({ url, table }: PostgresPlace, declared: { name: string } & StoreDeclarations): Promise<PublishedStore> {
  const PGStore = (require('connect-pg-simple') as (session: unknown) => new (options: object) => PgSimpleStore)(require('express-session'));
  const stores = new Set<PgSimpleStore>();
  const connect = async () => {
    const store = await connectedPgSimple(PGStore, url, table);
    stores.add(store);
    return store;
  };
  const close = async (store: ExpressStoreLike) => {
    stores.delete(store as PgSimpleStore);
    await (store as PgSimpleStore).close();
  };
  return {
    target: fromExpressStore(await connect(), { ...declared, open: connect, close }),
    close: async () => void (await Promise.allSettled([...stores].map(close))),
  };
}
