/**
 * The servers' side of the benchmark: what a server can do on its own (its limit, measured with
 * its own load tool on the bench's payloads), and how busy its CPU was while a cell ran. The
 * first says how far a store is from the backend's ceiling, not a driver's; the second, whether a
 * client-bound cell was bound by the client's event loop or by the server.
 */
import { execFile } from 'node:child_process';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { findOnPath } from '../servers/index.js';
import { parseClusterUrl } from '../stores/redis.js';
import type { BenchOp, Workload } from './workloads.js';

const run = promisify(execFile);

export interface ServerCpuSample {
  /** User plus system CPU seconds the server process has used (all nodes of a cluster together). */
  cpuSeconds: number;
  /** Threads that execute commands: 1 for Redis (its main thread) per node, the worker threads of Memcached. */
  threads: number;
  /**
   * Data commands the server has executed so far (Redis INFO commandstats, Memcached stats), the
   * probe's own INFO and AUTH left out: over a cell, how many commands a store sends per operation.
   */
  commands: number;
}

export type ServerCpuProbe = () => Promise<ServerCpuSample>;

/** One request over a fresh connection: `request` is written, and the reply read until `done` says it is whole. */
function ask(host: string, port: number, request: string, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = createConnection({ host, port }, () => socket.write(request));
    socket.setTimeout(2000, () => socket.destroy(new Error(`no reply from ${host}:${port} within 2 s`)));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (done(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.once('error', reject);
  });
}

interface Address {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

function addressOf(url: string, defaultPort: number): Address {
  const parsed = new URL(url.replace(/^memcached:\/\/([^,/]*).*$/, 'memcached://$1'));
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || defaultPort),
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
  };
}

/** A RESP command as an inline array. */
const resp = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** A RESP bulk reply read whole (after an AUTH's +OK), or an error reply. */
function bulkReplyRead(text: string): boolean {
  if (/^-|\r\n-/.test(text)) return true;
  const header = /\$(\d+)\r\n/.exec(text);
  return header !== null && text.length >= header.index + header[0].length + Number(header[1]) + 2;
}

/** Redis INFO commandstats calls, summed over the commands a store sends (not the probe's own). */
export function redisCommandCount(info: string): number {
  let calls = 0;
  for (const [, name, count] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (name !== 'info' && name !== 'auth') calls += Number(count);
  return calls;
}

/** Memcached's stats: the storage commands it executed (a multi-key get counts each key, as a store's single gets do). */
export function memcachedCommandCount(stats: string): number {
  const stat = (name: string) => Number(new RegExp(`STAT ${name} (\\d+)`).exec(stats)?.[1] ?? 0);
  return ['cmd_get', 'cmd_set', 'cmd_touch', 'delete_hits', 'delete_misses', 'incr_hits', 'incr_misses', 'decr_hits', 'decr_misses'].reduce((sum, name) => sum + stat(name), 0);
}

function redisNodeProbe({ host, port, username, password }: Address): ServerCpuProbe {
  const auth = password ? resp('AUTH', ...(username ? [username] : []), password) : '';
  return async () => {
    const text = await ask(host, port, `${auth}${resp('INFO', 'cpu', 'commandstats')}`, bulkReplyRead);
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1] ?? NaN);
    return { cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'), threads: 1, commands: redisCommandCount(text) };
  };
}

/**
 * The CPU and commands a Redis server (INFO), every node of a Redis Cluster named in its URL
 * (summed), or a Memcached server (stats) has used so far.
 */
export function serverCpuProbe(backend: 'redis' | 'redis-cluster' | 'memcached', url: string): ServerCpuProbe {
  if (backend === 'redis') return redisNodeProbe(addressOf(url, 6379));
  if (backend === 'redis-cluster') {
    const { nodes } = parseClusterUrl(url);
    const probes = nodes.map((node) => redisNodeProbe({ ...firstNodeOf(url), ...node }));
    return async () => {
      const samples = await Promise.all(probes.map((probe) => probe()));
      return samples.reduce((sum, s) => ({ cpuSeconds: sum.cpuSeconds + s.cpuSeconds, threads: sum.threads + s.threads, commands: sum.commands + s.commands }));
    };
  }
  const { host, port } = addressOf(url, 11211);
  return async () => {
    const text = await ask(host, port, 'stats\r\n', (t) => t.endsWith('END\r\n'));
    const stat = (name: string) => Number(new RegExp(`STAT ${name} ([\\d.:]+)`).exec(text)?.[1]?.replace(':', '.') ?? NaN);
    return { cpuSeconds: stat('rusage_user') + stat('rusage_system'), threads: stat('threads') || 1, commands: memcachedCommandCount(text) };
  };
}

/** What a server did on its own, driven by a load tool with pipelining. */
export interface ServerLimit {
  backend: 'redis' | 'redis-cluster' | 'memcached';
  payloadBytes: number;
  /** The tool and its arguments, as run. */
  tool: string;
  connections: number;
  pipeline: number;
  /** Requests per second of a read (GET) and of a write (SET) of `payloadBytes`. */
  readsPerSec: number;
  writesPerSec: number;
}

export const LIMIT_CONNECTIONS = 64;
export const LIMIT_PIPELINE = 8;

/** A cluster's first node named in its URL, with the URL's credentials. */
function firstNodeOf(url: string): Address {
  const { nodes, username, password } = parseClusterUrl(url);
  return { ...nodes[0]!, ...(username && { username }), ...(password !== undefined && { password }) };
}

/**
 * redis-benchmark GET and SET on `payloadBytes` values, 64 connections each pipelining 8: the
 * server's own limit. On a cluster (a redis+cluster:// URL) it runs with --cluster from the first
 * node, spreading the connections over every master as a cluster client does.
 */
export async function redisServerLimit(url: string, payloadBytes: number): Promise<ServerLimit | undefined> {
  const binary = findOnPath('redis-benchmark');
  if (!binary) return undefined;
  const cluster = url.startsWith('redis+cluster://');
  const { host, port, username, password } = cluster ? firstNodeOf(url) : addressOf(url, 6379);
  const args = ['-h', host, '-p', String(port), ...(cluster ? ['--cluster'] : []), ...(username ? ['--user', username] : []), ...(password ? ['-a', password] : []), '-t', 'get,set', '-d', String(payloadBytes), '-c', String(LIMIT_CONNECTIONS), '-P', String(LIMIT_PIPELINE), '-n', '300000', '-r', '10000', '--csv', '-q'];
  const { stdout } = await run(binary, args, { timeout: 120_000 });
  const rps = (test: string) => Number(new RegExp(`^"${test}","([\\d.]+)"`, 'm').exec(stdout)?.[1] ?? NaN);
  const shown = args.map((a, i) => (args[i - 1] === '-a' ? '***' : a));
  return { backend: cluster ? 'redis-cluster' : 'redis', payloadBytes, tool: `redis-benchmark ${shown.join(' ')}`, connections: LIMIT_CONNECTIONS, pipeline: LIMIT_PIPELINE, readsPerSec: rps('GET'), writesPerSec: rps('SET') };
}

/**
 * Memcached's limit through a raw pipelined text-protocol client: 64 connections, each keeping 8
 * requests in flight, for a second per command. memcslap (libmemcached-tools) cannot set a value
 * size, so it cannot measure the bench's payloads. This client runs in the bench's own thread, so
 * the figure is a lower bound of the server's limit: the note says which side was saturated.
 */
export async function memcachedServerLimit(url: string, payloadBytes: number): Promise<ServerLimit> {
  const { host, port } = addressOf(url, 11211);
  const value = 'x'.repeat(payloadBytes);
  const keys = Array.from({ length: 1000 }, (_, i) => `scc-limit-${process.pid}-${i}`);
  const pipelined = async (request: (i: number) => string, reply: RegExp): Promise<number> => {
    const ends = performance.now() + 1000;
    let done = 0;
    const connection = (c: number) =>
      new Promise<void>((resolve, reject) => {
        const socket = createConnection({ host, port });
        let sent = 0;
        let tail = '';
        const send = (n: number) => {
          let batch = '';
          for (let k = 0; k < n; k++) batch += request(c * 7919 + sent++);
          socket.write(batch);
        };
        socket.on('connect', () => send(LIMIT_PIPELINE));
        socket.on('data', (chunk) => {
          const text = tail + chunk.toString('latin1');
          const replies = text.match(reply)?.length ?? 0;
          // Keep a possibly cut reply marker for the next chunk.
          tail = text.slice(-16);
          tail = tail.slice(tail.lastIndexOf('\n') + 1);
          done += replies;
          if (performance.now() >= ends) return void (socket.end(), resolve());
          if (replies > 0) send(replies);
        });
        socket.once('error', reject);
      });
    const started = performance.now();
    await Promise.all(Array.from({ length: LIMIT_CONNECTIONS }, (_, c) => connection(c)));
    return Math.round(done / ((performance.now() - started) / 1000));
  };
  const writesPerSec = await pipelined((i) => `set ${keys[i % keys.length]} 0 60 ${payloadBytes}\r\n${value}\r\n`, /(?:^|\n)STORED\r\n/g);
  const readsPerSec = await pipelined((i) => `get ${keys[i % keys.length]}\r\n`, /(?:^|\n)END\r\n/g);
  return { backend: 'memcached', payloadBytes, tool: `raw pipelined text-protocol client (one Node thread), ${LIMIT_CONNECTIONS} connections × ${LIMIT_PIPELINE} in flight`, connections: LIMIT_CONNECTIONS, pipeline: LIMIT_PIPELINE, readsPerSec, writesPerSec };
}

/** The server commands one operation of each kind costs a reference store: R a read-sized reply, W a write of the payload. */
const COMMANDS: Record<BenchOp, readonly ('R' | 'W')[]> = { login: ['W'], view: ['R'], touch: ['R'], write: ['R', 'W'], logout: ['R'], miss: ['R'] };

/**
 * The server's limit in a workload's operations per second: the time the server needs per
 * operation at its measured GET and SET rates, weighted by the workload's mix (a page view that
 * also touches costs two reads).
 */
export function workloadLimit(workload: Workload, limit: ServerLimit): number {
  const total = Object.values(workload.mix).reduce((sum, weight) => sum + weight, 0);
  let seconds = 0;
  for (const [op, weight] of Object.entries(workload.mix) as [BenchOp, number][]) {
    const commands = op === 'view' ? 1 + workload.viewTouchShare : 0;
    const perOp = op === 'view' ? commands / limit.readsPerSec : COMMANDS[op].reduce((s, c) => s + 1 / (c === 'R' ? limit.readsPerSec : limit.writesPerSec), 0);
    seconds += (weight / total) * perOp;
  }
  return Math.round(1 / seconds);
}
