/**
 * Each single-process backend as every provider starts it: the binary and its arguments, the
 * container image and command, the probe that proves it serves, and for the SQL servers the data
 * directory they need first and the user they must run as.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SingleProcessBackend } from './server.js';
import type { ByteProbe, TextProbe } from './network.js';

export interface BackendSpec {
  binary: string;
  /** A program that prepares the data dir (initdb, mariadb-install-db), found next to the binary. */
  initBinary?: string;
  /** Where to look after PATH: PostgreSQL's Debian binaries are not on it, mariadbd is in sbin. */
  moreDirs?(): string[];
  /** The URL of a server of this backend at host:port, with the user and database the providers create. */
  url(host: string, port: number): string;
  /** The default image, and the variable that replaces it (a mirror, a private registry, Valkey). */
  image: string;
  imageEnv: string;
  containerPort: number;
  /** The arguments of a local server; `dir` is its private temp dir (backends with `init` only). */
  args(port: number, dir: string): string[];
  /** The command a container runs: spelled out, so that any image with the binary on PATH serves. */
  containerCommand: string[];
  /** The official image's variables that create the same user and database as a local server has. */
  containerEnv?: Record<string, string>;
  probe: TextProbe | ByteProbe;
  /**
   * Servers that refuse to run as root run as this system user when we are root (the Debian
   * packages create it); their temp dir is then theirs.
   */
  user?: string;
  /** Prepares the data dir in `dir` by running `initBinary` (as `user` when root), with `run`. */
  init?(dir: string, initBinary: string, run: (binary: string, args: string[]) => Promise<string>): Promise<void>;
  /** The signal for a clean stop that does not wait for clients to leave. Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** The server forks workers that must die with it: it runs in a process group of its own, killed whole. */
  forks?: boolean;
}

/** The user, password and database a local or container MariaDB is given. */
const MYSQL_ACCOUNT = 'conformance';

/** The Debian layout, /usr/lib/postgresql/<major>/bin, newest major first. */
function postgresDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'));
}

/** A v3 StartupMessage for user and database postgres: past startup the server asks for (or waives) authentication ('R'). */
function postgresProbe(): ByteProbe {
  const body = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(196_608, 4);
  // 'E' is an error: while starting up, "the database system is starting up".
  return { send: Buffer.concat([header, body]), judge: (answer) => answer[0] === 0x52 };
}

/** MariaDB speaks first: a handshake packet (protocol version 10) once it accepts connections. */
const mysqlProbe: ByteProbe = { send: Buffer.alloc(0), judge: (answer) => (answer.length < 5 ? undefined : answer[4] === 0x0a) };

/** The statements the init file of a local MariaDB runs at every start. */
const MYSQL_INIT_SQL = [
  `CREATE USER IF NOT EXISTS '${MYSQL_ACCOUNT}'@'127.0.0.1' IDENTIFIED BY '${MYSQL_ACCOUNT}';`,
  `GRANT ALL PRIVILEGES ON *.* TO '${MYSQL_ACCOUNT}'@'127.0.0.1';`,
  `CREATE DATABASE IF NOT EXISTS ${MYSQL_ACCOUNT};`,
].join('\n');

// Speed over durability on the local servers, which live for one run: no fsync, small caches. A
// process kill loses nothing even so (the data reached the OS at commit); a test that measures
// durability passes -c fsync=on.
const POSTGRES_SETTINGS = ['fsync=off', 'full_page_writes=off', 'shared_buffers=16MB', 'max_connections=200', 'listen_addresses=127.0.0.1'];

export const SPECS: Record<SingleProcessBackend, BackendSpec> = {
  redis: {
    binary: 'redis-server',
    url: (host, port) => `redis://${host}:${port}`,
    image: 'redis:7-alpine',
    imageEnv: 'SESSION_CONFORMANCE_REDIS_IMAGE',
    containerPort: 6379,
    args: (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    containerCommand: ['redis-server', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    // A server with a password answers NOAUTH: serving all the same.
    probe: ['PING\r\n', /^(\+PONG|-NOAUTH)/],
  },
  memcached: {
    binary: 'memcached',
    url: (host, port) => `memcached://${host}:${port}`,
    image: 'memcached:1.6-alpine',
    imageEnv: 'SESSION_CONFORMANCE_MEMCACHED_IMAGE',
    containerPort: 11211,
    // memcached refuses to run as root unless told which user to run as.
    args: (port) => ['-p', String(port), '-l', '127.0.0.1', '-U', '0', ...(process.getuid?.() === 0 ? ['-u', 'root'] : [])],
    probe: ['version\r\n', 'VERSION'],
    // Images run memcached as an unprivileged user, so no -u.
    containerCommand: ['memcached', '-U', '0'],
  },
  postgres: {
    binary: 'postgres',
    initBinary: 'initdb',
    moreDirs: postgresDirs,
    url: (host, port) => `postgres://postgres@${host}:${port}/postgres`,
    image: 'postgres:16-alpine',
    imageEnv: 'SESSION_CONFORMANCE_POSTGRES_IMAGE',
    containerPort: 5432,
    // Trust on loopback: a throwaway server of this run, reachable from this machine only.
    init: async (dir, initdb, run) => void (await run(initdb, ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '--encoding=UTF8', '--no-locale'])),
    args: (port, dir) => ['-D', join(dir, 'data'), '-p', String(port), '-k', dir, ...POSTGRES_SETTINGS.flatMap((setting) => ['-c', setting])],
    containerCommand: ['postgres', ...POSTGRES_SETTINGS.filter((s) => !s.startsWith('listen_')).flatMap((setting) => ['-c', setting])],
    containerEnv: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
    probe: postgresProbe(),
    user: 'postgres',
    // SIGTERM would wait for every client to disconnect; SIGINT disconnects them.
    stopSignal: 'SIGINT',
    forks: true,
  },
  mysql: {
    binary: 'mariadbd',
    initBinary: 'mariadb-install-db',
    moreDirs: () => ['/usr/sbin', '/usr/local/sbin'],
    url: (host, port) => `mysql://${MYSQL_ACCOUNT}:${MYSQL_ACCOUNT}@${host}:${port}/${MYSQL_ACCOUNT}`,
    image: 'mariadb:11',
    imageEnv: 'SESSION_CONFORMANCE_MARIADB_IMAGE',
    containerPort: 3306,
    init: async (dir, installDb, run) => {
      // Root logs in through its Unix socket only; the stores get an account of their own, made
      // (idempotently) by the init file at every start.
      writeFileSync(join(dir, 'init.sql'), MYSQL_INIT_SQL);
      await run(installDb, ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=socket', '--skip-test-db', '--skip-name-resolve', '--innodb-buffer-pool-size=16M', '--innodb-doublewrite=0']);
    },
    args: (port, dir) => [
      '--no-defaults', `--datadir=${join(dir, 'data')}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`, `--tmpdir=${dir}`, '--skip-name-resolve', `--init-file=${join(dir, 'init.sql')}`,
      // Each commit is written to the OS (a process kill loses nothing), and synced once a second.
      '--innodb-buffer-pool-size=16M', '--innodb-flush-log-at-trx-commit=2', '--innodb-doublewrite=0',
    ],
    containerCommand: ['mariadbd'],
    containerEnv: { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MARIADB_USER: MYSQL_ACCOUNT, MARIADB_PASSWORD: MYSQL_ACCOUNT, MARIADB_DATABASE: MYSQL_ACCOUNT },
    probe: mysqlProbe,
    user: 'mysql',
  },
};
