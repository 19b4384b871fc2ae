import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Client } from 'memjs';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import { redactUrl } from './connection-error.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export interface MemcachedStoreOptions {
  /** memcached://host:port (several servers: host:port,host2:port). Ignored when `client` is given. */
  url?: string;
  /** An existing memjs client; the store then leaves closing it to you. */
  client?: Client;
  /** Prepended to every key: printable ASCII, at most 64 bytes. Default 'sess:'. */
  prefix?: string;
  /** The largest JSON payload accepted; match the server's -I item size. Default 1,000,000 bytes (of a 1 MiB item). */
  maxDataBytes?: number;
  /** How long each request may take; memjs's own timeout does not fire on every hang. Default 3,000 ms. */
  timeoutMs?: number;
}

/** Binary-protocol opcodes and statuses used here (memcached's protocol_binary.h). */
const OP = { get: 0x00, set: 0x01, delete: 0x04, version: 0x0b, touch: 0x1c } as const;
const STATUS = { ok: 0, notFound: 1, exists: 2, tooLarge: 3 } as const;
const MAX_KEY_BYTES = 250;
const THIRTY_DAYS_S = 30 * 24 * 3600;

interface Response {
  header: { status: number; cas: Buffer };
  val: Buffer;
}

/** The part of memjs's request layer used to send raw binary-protocol requests (GET with CAS, DELETE with CAS). */
interface RequestLayer {
  seq: number;
  incrSeq(): void;
  perform(key: string, request: Buffer, seq: number, callback: (error: Error | null, response: Response | null) => void): void;
}

let memjs: typeof import('memjs') | undefined;

function loadMemjs(): typeof import('memjs') {
  try {
    return (memjs ??= createRequire(import.meta.url)('memjs') as typeof import('memjs'));
  } catch (cause) {
    throw new Error('MemcachedStore needs memjs: npm install memjs@1', { cause });
  }
}

/**
 * Memcached reads an expiry over 30 days as an absolute Unix time, and 0 as "never": convert
 * milliseconds to whole seconds rounding up, never to 0, absolute beyond 30 days.
 */
export function memcachedExpiration(ttlMs: number, nowMs: number): number {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  if (seconds <= THIRTY_DAYS_S) return seconds;
  return Math.min(0xffffffff, Math.ceil((nowMs + ttlMs) / 1000));
}

/** Sessions as Memcached items over the binary protocol; pop and update are CAS-guarded. */
export class MemcachedStore implements SessionStore {
  /** For the default maxDataBytes; a store built with another one should declare that instead. */
  static readonly declares: StoreDeclarations = { ttlResolutionMs: 1000, maxDataBytes: 1_000_000, sharedBackend: true, atomicPop: true, packages: ['memjs'] };

  readonly maxDataBytes: number;
  readonly #client: Client;
  readonly #requests: RequestLayer;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #where: string;

  constructor(options: MemcachedStoreOptions = {}) {
    const prefix = options.prefix ?? 'sess:';
    if (!/^[!-~]{0,64}$/.test(prefix)) throw new TypeError(`prefix must be at most 64 printable ASCII characters, got ${JSON.stringify(prefix)}`);
    const url = options.url ?? 'memcached://127.0.0.1:11211';
    this.#prefix = prefix;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.maxDataBytes = options.maxDataBytes ?? 1_000_000;
    this.#ownsClient = options.client === undefined;
    this.#where = options.client ? 'the given memjs client' : redactUrl(url);
    this.#client =
      options.client ??
      loadMemjs().Client.create(url.replace(/^memcached:\/\//, ''), {
        timeout: this.#timeoutMs / 1000,
        conntimeout: this.#timeoutMs / 1000,
        retries: 1,
        keepAlive: true,
        logger: { log: () => {} },
      });
    this.#requests = this.#client as unknown as RequestLayer;
  }

  /** Builds a store and checks, within the timeout, that the server answers. */
  static async connect(options: MemcachedStoreOptions = {}): Promise<MemcachedStore> {
    const store = new MemcachedStore(options);
    try {
      await store.#request('VERSION', OP.version, '', Buffer.alloc(0));
    } catch (error) {
      await store.close();
      throw new Error(`MemcachedStore could not use ${store.#where}: ${(error as Error).message}`, { cause: error });
    }
    return store;
  }

  /**
   * Memcached keys are at most 250 bytes of printable ASCII. Such ids are used as they are; any
   * other id (long, Unicode, spaces, or starting with '#') becomes '#' + its SHA-256, so the two
   * forms can never collide.
   */
  #key(id: string): string {
    const raw = this.#prefix + id;
    if (/^[!-~]+$/.test(id) && !id.startsWith('#') && raw.length <= MAX_KEY_BYTES) return raw;
    return `${this.#prefix}#${createHash('sha256').update(id, 'utf8').digest('base64url')}`;
  }

  #request(name: string, opcode: number, key: string, extras: Buffer, value: Buffer = Buffer.alloc(0), cas?: Buffer): Promise<Response> {
    const { makeRequestBuffer } = loadMemjs().Utils as unknown as { makeRequestBuffer(op: number, key: string, extras: Buffer, value: Buffer, opaque: number): Buffer };
    this.#requests.incrSeq();
    const seq = this.#requests.seq;
    const request = makeRequestBuffer(opcode, key, extras, value, seq);
    if (cas) cas.copy(request, 16);
    // One promise and one timer per request, settled by whichever comes first: this is the hot path.
    return new Promise<Response>((resolve, reject) => {
      const fail = (why: string, cause?: unknown) => reject(new Error(`Memcached ${name} at ${this.#where} failed: ${why}`, { cause }));
      const timer = setTimeout(() => fail(`no answer within ${this.#timeoutMs} ms`), this.#timeoutMs);
      this.#requests.perform(key, request, seq, (error, response) => {
        clearTimeout(timer);
        if (response && !error) resolve(response);
        else fail(error?.message ?? 'no response', error);
      });
    });
  }

  #unexpected(name: string, status: number): Error {
    return new Error(`Memcached ${name} at ${this.#where} answered status ${status}`);
  }

  #setRequest(key: string, json: string, ttlMs: number, cas?: Buffer): Promise<Response> {
    const extras = Buffer.alloc(8);
    extras.writeUInt32BE(memcachedExpiration(ttlMs, Date.now()), 4);
    return this.#request('SET', OP.set, key, extras, Buffer.from(json, 'utf8'), cas);
  }

  async get(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const { header, val } = await this.#request('GET', OP.get, this.#key(id), Buffer.alloc(0));
    if (header.status === STATUS.notFound) return undefined;
    if (header.status !== STATUS.ok) throw this.#unexpected('GET', header.status);
    return decodeSession(val.toString('utf8'));
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const json = encodeSession(data, this.maxDataBytes);
    const { header } = await this.#setRequest(this.#key(id), json, ttlMs);
    if (header.status === STATUS.tooLarge) throw new RangeError(`session data of ${Buffer.byteLength(json)} bytes is too large for the Memcached item size at ${this.#where}`);
    if (header.status !== STATUS.ok) throw this.#unexpected('SET', header.status);
  }

  async pop(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const key = this.#key(id);
    for (;;) {
      const read = await this.#request('GET', OP.get, key, Buffer.alloc(0));
      if (read.header.status === STATUS.notFound) return undefined;
      if (read.header.status !== STATUS.ok) throw this.#unexpected('GET', read.header.status);
      // Delete only the version we read: if another client popped or rewrote it, retry.
      const { header } = await this.#request('DELETE', OP.delete, key, Buffer.alloc(0), Buffer.alloc(0), read.header.cas);
      if (header.status === STATUS.ok) return decodeSession(read.val.toString('utf8'));
      if (header.status === STATUS.notFound) return undefined;
      if (header.status !== STATUS.exists) throw this.#unexpected('DELETE', header.status);
    }
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const extras = Buffer.alloc(4);
    extras.writeUInt32BE(memcachedExpiration(ttlMs, Date.now()));
    const { header } = await this.#request('TOUCH', OP.touch, this.#key(id), extras);
    if (header.status === STATUS.notFound) return false;
    if (header.status !== STATUS.ok) throw this.#unexpected('TOUCH', header.status);
    return true;
  }

  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    assertValidUpdate(id, fn, ttlMs);
    const key = this.#key(id);
    for (;;) {
      const read = await this.#request('GET', OP.get, key, Buffer.alloc(0));
      if (read.header.status === STATUS.notFound) return undefined;
      if (read.header.status !== STATUS.ok) throw this.#unexpected('GET', read.header.status);
      const json = encodeSession(fn(decodeSession(read.val.toString('utf8'))), this.maxDataBytes);
      const { header } = await this.#setRequest(key, json, ttlMs, read.header.cas);
      if (header.status === STATUS.ok) return decodeSession(json);
      if (header.status === STATUS.notFound) return undefined;
      if (header.status !== STATUS.exists) throw this.#unexpected('SET', header.status);
    }
  }

  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.close();
  }
}
