/**
 * Finds a Redis, Redis Cluster, Memcached, PostgreSQL or MariaDB server for tests, benchmarks and
 * users' CI, in this order:
 *   1. an explicit URL in REDIS_URL / REDIS_CLUSTER_URL / MEMCACHED_URL / POSTGRES_URL / MYSQL_URL;
 *   2. local binaries (local.ts: redis-server, plus redis-cli for a cluster; memcached; postgres
 *      and initdb, also looked for in /usr/lib/postgresql/<major>/bin; mariadbd and
 *      mariadb-install-db), started on free loopback ports;
 *   3. a container through testcontainers (containers.ts), when a container runtime answers (the
 *      image can be replaced through SESSION_CONFORMANCE_REDIS_IMAGE and its siblings, backends.ts);
 * and otherwise says how to provide one. Under CI=true, or when SESSION_CONFORMANCE_REQUIRE
 * names the backend, a missing server is an error rather than a skip.
 */
import { SPECS } from './backends.js';
import { startLocalCluster } from './cluster.js';
import { startClusterContainer, startContainer } from './containers.js';
import { locateBinary, startLocalServer } from './local.js';
import { BackendUnavailable, isServerRequired, type Backend, type ProvisionedServer, type SingleProcessBackend } from './server.js';

export type { Backend, LocalCluster, LocalServer, ProvisionedServer, SingleProcessBackend } from './server.js';
export { BackendUnavailable, isServerRequired } from './server.js';
export { findOnPath, startLocalServer } from './local.js';
export { freeLoopbackPort, waitUntilServing, type ByteProbe, type TextProbe } from './network.js';
export { startLocalCluster, type LocalClusterOptions } from './cluster.js';
export { containerImage } from './containers.js';

/** Where a backend can come from: the environment, local binaries, or a container. */
interface Provider {
  envVar: string;
  urlForm: string;
  /** Every one of them must be found, on PATH or in the places its packages put them. */
  binaries: string[];
  /** The Debian/Ubuntu package that brings the binaries. */
  install: string;
  /** Whose image a container runs (a cluster's must also hold redis-cli and a POSIX shell). */
  image: SingleProcessBackend;
  startLocal(binaries: string[]): Promise<ProvisionedServer>;
  startContainer(env: NodeJS.ProcessEnv): Promise<ProvisionedServer>;
}

/** A backend of one process: its binaries, the server and the program that prepares its data dir if it needs one. */
function single(backend: SingleProcessBackend, envVar: string, urlForm: string, install: string): Provider {
  const { binary, initBinary } = SPECS[backend];
  return {
    envVar,
    urlForm,
    binaries: initBinary ? [binary, initBinary] : [binary],
    install,
    image: backend,
    startLocal: ([server, init]) => startLocalServer(backend, { binary: server, initBinary: init }),
    startContainer: (env) => startContainer(backend, env),
  };
}

const PROVIDERS: Record<Backend, Provider> = {
  redis: single('redis', 'REDIS_URL', 'redis://host:port', 'redis-server'),
  memcached: single('memcached', 'MEMCACHED_URL', 'memcached://host:port', 'memcached'),
  'redis-cluster': {
    envVar: 'REDIS_CLUSTER_URL',
    urlForm: 'redis+cluster://host:port,host:port',
    binaries: ['redis-server', 'redis-cli'],
    // redis-cli comes with it, in the redis-tools package it depends on.
    install: 'redis-server',
    image: 'redis',
    startLocal: ([redisServer, redisCli]) => startLocalCluster({ redisServer, redisCli }),
    startContainer: startClusterContainer,
  },
  postgres: single('postgres', 'POSTGRES_URL', 'postgres://user:password@host:port/database', 'postgresql'),
  mysql: single('mysql', 'MYSQL_URL', 'mysql://user:password@host:port/database', 'mariadb-server'),
};

/** The environment variable that names a server of `backend` (`REDIS_URL` for redis): what `provision` reads first. */
export function urlVariable(backend: Backend): string {
  return PROVIDERS[backend].envVar;
}

export interface ProvisionOptions {
  env?: NodeJS.ProcessEnv;
  /** Try testcontainers when no binary is found. Default true. */
  containers?: boolean;
}

/** Yields a server for `backend`, or throws BackendUnavailable saying how to provide one. */
export async function provision(backend: Backend, options: ProvisionOptions = {}): Promise<ProvisionedServer> {
  const env = options.env ?? process.env;
  const provider = PROVIDERS[backend];
  const url = env[provider.envVar];
  if (url) return { backend, url, source: 'env', stop: async () => {} };
  const reasons: string[] = [];
  const moreDirs = SPECS[provider.image].moreDirs?.() ?? [];
  const binaries = provider.binaries.map((name) => locateBinary(name, env, moreDirs));
  const missing = provider.binaries.filter((_, i) => !binaries[i]);
  if (missing.length === 0) {
    try {
      return await provider.startLocal(binaries as string[]);
    } catch (error) {
      reasons.push(`${binaries.join(' + ')} failed to start: ${(error as Error).message}`);
    }
  } else {
    reasons.push(`no ${missing.join(' or ')} on PATH${moreDirs.length ? ` or in ${moreDirs.join(', ')}` : ''}`);
  }
  if (options.containers !== false) {
    try {
      return await provider.startContainer(env);
    } catch (error) {
      const message = (error as Error).message;
      reasons.push(/container runtime/i.test(message) ? 'no container runtime answers' : `container failed: ${message}`);
    }
  }
  const required = isServerRequired(backend, env);
  throw new BackendUnavailable(
    `no ${backend} server (${reasons.join('; ')}). Provide one of: ` +
      `(1) ${provider.envVar}=${provider.urlForm}; ` +
      `(2) ${provider.binaries.join(' and ')} on PATH (e.g. apt-get install -y ${provider.install}); ` +
      `(3) a container runtime (Docker or Podman) for testcontainers, running ${SPECS[provider.image].image} or the image ${SPECS[provider.image].imageEnv} names.` +
      (required ? ` It is required here (${env.CI === 'true' || env.CI === '1' ? 'CI=true' : 'SESSION_CONFORMANCE_REQUIRE'}).` : ''),
    backend,
    required,
  );
}

