/**
 * Opens any reference store from one configuration string, as an app picks its session backend
 * from its environment. A bad URL is a TypeError naming the forms; a missing optional driver is
 * the store's own error naming the install command.
 */
import type { Clock } from '../suite/contract.js';
import { redactUrl } from './connection-error.js';
import { MemcachedStore } from './memcached.js';
import { MemoryStore } from './memory.js';
import { PostgresStore } from './postgres.js';
import { RedisStore, type RedisDriverName } from './redis.js';
import { SqliteStore } from './sqlite.js';

export interface ConnectStoreOptions {
  /** Prepended to every id to form the key, for Redis and Memcached. Default 'sess:'. */
  prefix?: string;
  /** How long connecting, and each command, may take, for Redis and Memcached. */
  timeoutMs?: number;
  /** The time source of a memory or SQLite store (tests inject a manual one). */
  clock?: Clock;
  /** The table of a PostgreSQL store. Default 'sessions'. */
  table?: string;
}

export type ReferenceStore = MemoryStore | SqliteStore | RedisStore | MemcachedStore | PostgresStore;

export const STORE_URL_FORMS = [
  'memory://',
  'sqlite:///absolute/path.db',
  'sqlite::memory:',
  'redis://[[user]:password@]host:port[/db]',
  'rediss://… (TLS)',
  'redis+cluster://[[user]:password@]host:port,host:port',
  '…?driver=node-redis|ioredis (any redis URL: the client library)',
  'memcached://host:port[,host:port…]',
  'postgres://[user[:password]@]host[:port]/database[?options]',
  'postgresql://… (the same)',
];

function badUrl(url: string, why: string): TypeError {
  return new TypeError(`connectStore: ${why} in "${redactUrl(url)}"; store URLs: ${STORE_URL_FORMS.join(', ')}`);
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    // WHATWG URL refuses a port over 65535 without saying so: name it.
    throw badUrl(url, badPort(hostsOf(url)) ?? 'not a URL');
  }
}

/** host, host:port or [ipv6]:port, comma-separated. */
const HOST_LIST = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:,/@[\]?#]+)(?::\d{1,5})?(?:,(?:\[[0-9a-fA-F:.]+\]|[^\s:,/@[\]?#]+)(?::\d{1,5})?)*$/;

/** The host list of a URL, between `scheme://[userinfo@]` and the path: one host or several. */
function hostsOf(url: string): string {
  return /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
}

/** A port that no server can listen on, named; undefined when every port of the list is one. */
function badPort(hosts: string): string | undefined {
  for (const port of hosts.split(',').map((host) => /:(\d+)$/.exec(host)?.[1])) {
    if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65_535)) return `port ${port} is outside 1-65535`;
  }
  return undefined;
}

/** A Redis URL's `driver` parameter (the client library), taken off the URL the client is given. */
function redisDriverOf(url: string): { url: string; driver?: RedisDriverName } {
  const match = /^([^?#]*)\?driver=([^&#]*)$/.exec(url);
  if (!match) return { url };
  if (match[2] !== 'ioredis' && match[2] !== 'node-redis') throw badUrl(url, `driver must be node-redis or ioredis, got "${decodeURIComponent(match[2]!)}"`);
  return { url: match[1]!, driver: match[2] };
}

/**
 * memory://, sqlite:///absolute/path.db, sqlite::memory:, redis:// and rediss:// (with user,
 * password and db), redis+cluster://h1:p1,h2:p2, memcached://h1:p1,h2:p2 (a memjs server pool),
 * postgres:// and postgresql:// (pg's connection strings, the table created if missing).
 * A Redis URL may end in ?driver=node-redis or ?driver=ioredis to pick the client library.
 * Networked stores are connected (the server answered) when the promise resolves.
 */
export async function connectStore(url: string, options: ConnectStoreOptions = {}): Promise<ReferenceStore> {
  if (typeof url !== 'string') throw new TypeError(`connectStore: the URL must be a string, got ${String(url)}`);
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
  const { prefix, timeoutMs, clock, table } = options;
  switch (scheme) {
    case 'memory':
      if (!/^memory:(\/\/)?$/.test(url)) throw badUrl(url, 'a memory store takes no host, path or options');
      return new MemoryStore({ clock });
    case 'sqlite': {
      if (url === 'sqlite::memory:') return new SqliteStore({ path: ':memory:', clock });
      const path = /^sqlite:\/\/(\/[^?#]*)$/.exec(url)?.[1];
      if (!path) throw badUrl(url, 'a SQLite URL names an absolute file path after three slashes (or is sqlite::memory:)');
      return new SqliteStore({ path: decodeURIComponent(path), clock });
    }
    case 'redis':
    case 'rediss': {
      const { url: bare, driver } = redisDriverOf(url);
      const parsed = parseUrl(bare);
      if (!parsed.hostname) throw badUrl(url, 'no host');
      if (parsed.port === '0') throw badUrl(url, 'port 0 is outside 1-65535');
      if (!/^\/?(\d+)?$/.test(parsed.pathname)) throw badUrl(url, `the path must be a database number, got "${parsed.pathname}"`);
      return RedisStore.connect({ url: bare, prefix, timeoutMs, driver });
    }
    case 'redis+cluster': {
      // RedisStore checks the node list itself: redis+cluster URLs are its own form.
      const { url: bare, driver } = redisDriverOf(url);
      const port = badPort(hostsOf(url));
      if (port) throw badUrl(url, port);
      return RedisStore.connect({ url: bare, prefix, timeoutMs, driver });
    }
    case 'memcached': {
      const hosts = /^memcached:\/\/([^/?#]*)\/?$/.exec(url)?.[1];
      if (!hosts || !HOST_LIST.test(hosts)) throw badUrl(url, 'a Memcached URL is a comma-separated list of host:port');
      // Checked here, before memjs is loaded: a URL no server can answer is a usage error, not a timeout.
      const port = badPort(hosts);
      if (port) throw badUrl(url, port);
      return MemcachedStore.connect({ url, prefix, timeoutMs });
    }
    case 'postgres':
    case 'postgresql': {
      const parsed = parseUrl(url);
      // A Unix socket is named by ?host=/dir instead of a host before the path.
      if (!parsed.hostname && !parsed.searchParams.get('host')) throw badUrl(url, 'no host');
      if (!/^\/?[^/]*$/.test(parsed.pathname)) throw badUrl(url, `the path must be a database name, got "${parsed.pathname}"`);
      if (parsed.hash) throw badUrl(url, 'a PostgreSQL URL has no #fragment');
      return PostgresStore.connect({ url, timeoutMs, table });
    }
    default:
      throw badUrl(url, scheme ? `unknown scheme "${scheme}:"` : 'no scheme');
  }
}
