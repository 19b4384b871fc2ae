/** What a published store's file in matrix/published/ declares, and the backends a run gives it. */
import type { PublishedStore } from '../../bench/published-stores.js';
import { fromExpressStore, type ExpressStoreLike } from '../../adapters/index.js';
import type { StoreDeclarations } from '../../suite/contract.js';

/** The servers the run started (URLs) and a temp directory for files. */
export interface Backends {
  redis: string;
  memcached: string;
  postgres: string;
  mysql: string;
  dir: string;
}

export interface PublishedEntry {
  /** The column heading: the package and major, and what it runs on where that differs. */
  column: string;
  /** The framework whose adapter speaks to it. */
  framework: 'express' | 'fastify' | 'react-router' | 'hapi';
  backend: 'Redis' | 'Memcached' | 'PostgreSQL' | 'MariaDB' | 'SQLite' | 'files' | 'memory';
  /** Builds the store on its backend, as docs/ecosystem.md declares it. */
  open(backends: Backends): Promise<PublishedStore>;
}

export type { PublishedStore };

/** Every store a target opened, and what closes each. */
export function openedStores<S = any>(close: (store: S) => Promise<unknown> | unknown) {
  const opened = new Set<S>();
  return {
    add: (store: S) => (opened.add(store), store),
    close: async (store: S) => {
      opened.delete(store);
      await close(store);
    },
    closeAll: async () => void (await Promise.allSettled([...opened].map(async (s) => (opened.delete(s), close(s))))),
  };
}

/**
 * A connect-style store on a server every instance shares (connect() builds one more, added to
 * `stores`), declared as the express apps that run it do: the target, and what closes them all.
 */
export async function onSharedServer(
  column: string,
  packages: string[],
  connect: () => Promise<ExpressStoreLike>,
  stores: ReturnType<typeof openedStores>,
  declared: Omit<StoreDeclarations, 'atomicPop' | 'sharedBackend' | 'packages'>,
): Promise<PublishedStore> {
  const target = fromExpressStore(await connect(), { name: column, packages, ...declared, sharedBackend: true, open: connect, close: stores.close });
  return { target, close: stores.closeAll };
}
