/**
 * Broken stores, each with one bug that real stores have shipped, and the clauses that must
 * catch it. `fails` is exact: the suite must flag these clauses and no others.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { ClauseId, Clock, SessionData } from '../../suite/contract.js';
import type { StoreFactory } from '../../entry/index.js';
import { HookedStore, type Entry } from './base.js';
import type { Defect } from './defect.js';
import { idDefects } from './id-defects.js';
import { PhrasedStore } from './phrasing.js';

const defect = (
  name: string,
  fails: ClauseId[],
  Store: new (clock: Clock) => HookedStore,
  declares: Partial<StoreFactory> = {},
  anomaly?: Defect['anomaly'],
): Defect => ({
  name,
  fails,
  target: { name, clock: 'injected', open: ({ clock }) => new Store(clock), ...declares },
  ...(anomaly && { anomaly }),
});

// The backend that instances of the shared-backend defects have in common.
const sharedEntries = new Map<string, Entry>();
const sharedEntriesForPopCache = new Map<string, Entry>();

/** Reads through a per-instance cache that only this instance's pops invalidate. */
class ReadCachingStore extends HookedStore {
    readonly cache = new Map<string, Entry>();
    override live(id: string): Entry | undefined {
      const cached = this.cache.get(id);
      if (cached && this.isLive(cached, this.clock.now())) return cached;
      const entry = super.live(id);
      if (entry) this.cache.set(id, entry);
      return entry;
    }
    override async pop(id: string): Promise<SessionData | undefined> {
      const data = await super.pop(id);
      this.cache.delete(id);
      return data;
    }
}

/** A store whose backend turns a TTL into a deadline its own way, on set, touch and update alike. */
abstract class DeadlineStore extends HookedStore {
  abstract deadline(now: number, ttlMs: number): number;
  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    this.validate(id, ttlMs);
    const entry = this.live(id);
    if (!entry) return undefined;
    this.write(id, fn(this.decode(entry.value)), ttlMs);
    return this.decode(this.entries.get(this.key(id))!.value);
  }
  override write(id: string, data: SessionData, ttlMs: number): void {
    this.entries.set(this.key(id), { value: this.encode(data), expiresAt: this.deadline(this.clock.now(), ttlMs) });
  }
  override async touch(id: string, ttlMs: number): Promise<boolean> {
    this.validate(id, ttlMs);
    const entry = this.live(id);
    if (entry) entry.expiresAt = this.deadline(this.clock.now(), ttlMs);
    return entry !== undefined;
  }
}

const DAY_MS = 24 * 3600 * 1000;

/** One real file per session, named by the id: path syntax in an id becomes the file system's. */
class FilePerSessionStore extends HookedStore {
  readonly dir = mkdtempSync(join(tmpdir(), 'scc-file-per-session-'));
  file(id: string): string {
    const file = join(this.dir, this.key(id));
    // The usual guard against `../`: it stops escapes, not aliases inside the directory.
    if (!file.startsWith(this.dir + sep)) throw new Error(`session id ${JSON.stringify(id)} leaves the session directory`);
    return file;
  }
  override live(id: string): Entry | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const entry = JSON.parse(text) as Entry;
    return this.isLive(entry, this.clock.now()) ? entry : undefined;
  }
  override write(id: string, data: SessionData, ttlMs: number): void {
    writeFileSync(this.file(id), JSON.stringify({ value: this.encode(data), expiresAt: this.clock.now() + ttlMs }));
  }
  override async pop(id: string): Promise<SessionData | undefined> {
    this.validate(id);
    const entry = this.live(id);
    if (entry) unlinkSync(this.file(id));
    return entry && this.decode(entry.value);
  }
  override async touch(id: string, ttlMs: number): Promise<boolean> {
    this.validate(id, ttlMs);
    const entry = this.live(id);
    if (entry) writeFileSync(this.file(id), JSON.stringify({ ...entry, expiresAt: this.clock.now() + ttlMs }));
    return entry !== undefined;
  }
  async close(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A round trip to a server: other requests run meanwhile, which is where races live. */
const io = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Touch as a get and a set of the old data: a write-back that can undo a concurrent pop or set. */
function withWriteBackTouch(Base: new (clock: Clock) => HookedStore): new (clock: Clock) => HookedStore {
  return class extends Base {
    override async touch(id: string, ttlMs: number): Promise<boolean> {
      this.validate(id, ttlMs);
      const data = await this.get(id);
      if (!data) return false;
      await io();
      this.write(id, data, ttlMs);
      return true;
    }
  };
}

/** Pop as express-session stores do it: a get, then a destroy. */
class GetThenDeletePopStore extends HookedStore {
  override async pop(id: string): Promise<SessionData | undefined> {
    const data = await this.get(id);
    await io();
    this.entries.delete(this.key(id));
    return data;
  }
}

/** Keys sessions by `key(id)`: ids the mapping merges share one session. */
function keyedBy(key: (id: string) => string): new (clock: Clock) => HookedStore {
  return class extends HookedStore {
    override key(id: string): string {
      return key(id);
    }
  };
}

/** Refuses ids the way a backend does, with the backend's own words and nothing stored. */
function refusingIds(refuses: (id: string) => string | undefined, Base: new (clock: Clock) => HookedStore = HookedStore): new (clock: Clock) => HookedStore {
  return class extends Base {
    override validate(id: unknown, ttlMs?: unknown): void {
      // Bad input first, as the reference codec words it; then the backend's refusal.
      super.validate(id, ...(arguments.length > 1 ? [ttlMs] : []));
      const refusal = refuses(id as string);
      if (refusal !== undefined) throw new Error(refusal);
    }
  };
}

const pgText = (id: string) => (id.includes('\u0000') ? 'invalid byte sequence for encoding "UTF8": 0x00' : undefined);
const memcachedKey = (id: string) => (/[\s\u0000-\u001f\u007f]/.test(id) ? 'key must not contain whitespace or control characters' : undefined);
const varchar128 = (id: string) => ([...id].length > 128 ? "Data too long for column 'session_id' at row 1" : undefined);

/** A store that knows its ids: base64url, at most 64 characters, refused with an error that names the id. */
const base64urlIds = (id: string) => (/^[\w-]{1,64}$/.test(id) ? undefined : `session id must be 1 to 64 base64url characters, got ${JSON.stringify(id)}`);
const DECLARED = { ids: { alphabet: 'base64url', maxLength: 64 } } as const;

export const defects: Defect[] = [
  defect('copies data with a for-in loop, losing "__proto__" keys', ['round-trip', 'replace', 'pop', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'copy-semantics', 'bad-input', 'model'], class extends HookedStore {
    override encode(data: SessionData): unknown {
      const copy: Record<string, unknown> = {};
      for (const key in data) copy[key] = data[key];
      return super.encode(copy as SessionData);
    }
  }),
  defect('silently truncates payloads over 64 KiB', ['round-trip'], class extends HookedStore {
    override encode(data: SessionData): unknown {
      const text = super.encode(data) as string;
      return text.length > 65536 ? '{}' : text;
    }
  }),
  defect('returns {} instead of undefined for a missing session', ['absent', 'replace', 'pop', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'copy-semantics', 'bad-input', 'model', 'interleavings', 'concurrency', 'no-resurrection'], class extends HookedStore {
    override async get(id: string): Promise<SessionData | undefined> {
      return (await super.get(id)) ?? {};
    }
  }),
  defect('touch creates an empty session when none exists', ['absent', 'pop', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'model', 'interleavings', 'concurrency', 'no-resurrection'], class extends HookedStore {
    override async touch(id: string, ttlMs: number): Promise<boolean> {
      if (!(await super.touch(id, ttlMs))) this.write(id, {}, ttlMs);
      return true;
    }
  }),
  defect('set merges into the existing value', ['replace', 'bad-input', 'model'], class extends HookedStore {
    override write(id: string, data: SessionData, ttlMs: number): void {
      const old = this.live(id);
      super.write(id, { ...(old ? this.decode(old.value) : {}), ...data }, ttlMs);
    }
  }),
  defect('set on an existing id keeps the old expiry', ['replace', 'model'], class extends HookedStore {
    override write(id: string, data: SessionData, ttlMs: number): void {
      const old = this.live(id);
      super.write(id, data, ttlMs);
      if (old) this.entries.get(this.key(id))!.expiresAt = old.expiresAt;
    }
  }),
  defect('pop returns the value but keeps it', ['pop', 'id-isolation', 'copy-semantics', 'model', 'interleavings', 'concurrency', 'atomic-pop', 'no-resurrection'], class extends HookedStore {
    override async pop(id: string): Promise<SessionData | undefined> {
      return this.get(id);
    }
  }),
  defect('sessions never expire', ['replace', 'expiry', 'touch', 'ttl-range', 'bad-input', 'model', 'no-resurrection'], class extends HookedStore {
    override isLive(): boolean {
      return true;
    }
  }),
  defect('expiry off by one: live while now <= set time + ttlMs', ['replace', 'expiry', 'touch', 'ttl-range', 'bad-input', 'model', 'no-resurrection'], class extends HookedStore {
    override isLive(entry: Entry, now: number): boolean {
      return now <= entry.expiresAt;
    }
  }),
  defect('get slides the expiry forward', ['replace', 'expiry', 'touch', 'ttl-range', 'bad-input', 'model'], class extends HookedStore {
    override async get(id: string): Promise<SessionData | undefined> {
      const entry = this.live(id);
      if (entry) entry.expiresAt += 1000;
      return super.get(id);
    }
  }),
  defect('touch revives an expired session', ['expiry', 'touch', 'model', 'no-resurrection'], class extends HookedStore {
    override async touch(id: string, ttlMs: number): Promise<boolean> {
      this.validate(id, ttlMs);
      const entry = this.entries.get(this.key(id));
      if (entry) entry.expiresAt = this.clock.now() + ttlMs;
      return entry !== undefined;
    }
  }),
  defect('touch only ever extends, never shortens the expiry', ['touch', 'model'], class extends HookedStore {
    override async touch(id: string, ttlMs: number): Promise<boolean> {
      const entry = this.live(id);
      const before = entry?.expiresAt ?? 0;
      const touched = await super.touch(id, ttlMs);
      if (entry) entry.expiresAt = Math.max(before, entry.expiresAt);
      return touched;
    }
  }),
  defect('ids are case-folded, as under a case-insensitive collation', ['id-isolation', 'model'], class extends HookedStore {
    override key(id: string): string {
      return id.toLowerCase();
    }
  }),
  defect('ids are trimmed, as under a PAD SPACE collation', ['id-isolation', 'model'], class extends HookedStore {
    override key(id: string): string {
      return id.trimEnd();
    }
  }),
  defect('ids are NFC-normalized', ['id-isolation', 'model'], class extends HookedStore {
    override key(id: string): string {
      return id.normalize('NFC');
    }
  }),
  defect('ids are truncated to 250 characters, like a naive Memcached key', ['id-isolation'], class extends HookedStore {
    override key(id: string): string {
      return id.slice(0, 250);
    }
  }),
  defect('stores the caller\'s object instead of a copy', ['copy-semantics'], class extends HookedStore {
    override encode(data: SessionData): unknown {
      super.encode(data);
      return data;
    }
    override decode(value: unknown): SessionData {
      return value as SessionData;
    }
  }),
  defect('throws synchronously on bad input', ['bad-input'], class extends HookedStore {
    constructor(clock: Clock) {
      super(clock);
      for (const method of ['get', 'set', 'pop', 'touch'] as const) {
        const asyncMethod = this[method].bind(this) as (...args: unknown[]) => Promise<unknown>;
        (this as Record<string, unknown>)[method] = (...args: unknown[]) => {
          this.validate(args[0]);
          return asyncMethod(...args);
        };
      }
    }
  }),
  defect('stores a Date by serializing it to a string', ['bad-input'], class extends HookedStore {
    override encode(data: SessionData): unknown {
      return JSON.stringify(data);
    }
  }),
  defect('a touch with a bad TTL is rejected, but only after applying a default TTL', ['bad-input'], class extends HookedStore {
    override async touch(id: string, ttlMs: number): Promise<boolean> {
      const entry = this.live(id);
      if (entry && !(ttlMs > 0)) entry.expiresAt = this.clock.now() + 3_600_000;
      return super.touch(id, ttlMs);
    }
  }),
  defect('a rejected write deletes the old value first', ['bad-input'], class extends HookedStore {
    override async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
      this.entries.delete(this.key(id));
      return super.set(id, data, ttlMs);
    }
  }),
  defect('a read cache that set does not invalidate', ['model', 'interleavings', 'concurrency', 'atomic-pop', 'no-resurrection', 'lost-update'], class extends ReadCachingStore {
  }),
  defect('each instance caches reads, so a write through another instance goes unseen', ['cross-instance', 'concurrency', 'atomic-pop', 'no-resurrection'], class extends HookedStore {
    override readonly entries = sharedEntries;
    // Consistent for one instance (writes go through it, expiry is honoured); blind to the others.
    readonly cache = new Map<string, Entry>();
    override live(id: string): Entry | undefined {
      const cached = this.cache.get(id);
      if (cached) return this.isLive(cached, this.clock.now()) ? cached : undefined;
      const entry = super.live(id);
      if (entry) this.cache.set(id, { ...entry });
      return entry;
    }
    override write(id: string, data: SessionData, ttlMs: number): void {
      super.write(id, data, ttlMs);
      this.cache.set(id, { ...this.entries.get(this.key(id))! });
    }
    override async pop(id: string): Promise<SessionData | undefined> {
      const data = await super.pop(id);
      this.cache.delete(id);
      return data;
    }
    override async touch(id: string, ttlMs: number): Promise<boolean> {
      const touched = await super.touch(id, ttlMs);
      if (touched) this.cache.get(id)!.expiresAt = this.clock.now() + ttlMs;
      return touched;
    }
  }, { sharedBackend: true }),

  // ---- Concurrency defects: each is correct one request at a time and wrong under a race. ----
  // Declared non-atomic, as express-session stores are: legal everywhere but atomic-pop (a SHOULD for it).
  defect('pop is a get, then a delete', ['atomic-pop'], GetThenDeletePopStore, {}, { clause: 'atomic-pop', names: ['double pop'] }),
  // Two pops that both read the value before either deleted it are a double pop as much as a lost write.
  defect('pop deletes whatever is there, even a newer write, though declared atomic', ['interleavings', 'concurrency', 'atomic-pop', 'no-resurrection'], class extends HookedStore {
    override async pop(id: string): Promise<SessionData | undefined> {
      this.validate(id);
      const entry = this.live(id);
      await io();
      this.entries.delete(this.key(id));
      return entry && this.decode(entry.value);
    }
  }, { atomicPop: true }, { clause: 'interleavings', names: ['lost write', 'double pop'] }),
  defect('touch is a get and a set of the old data', ['interleavings', 'concurrency', 'no-resurrection'], withWriteBackTouch(HookedStore), {}, { clause: 'no-resurrection', names: ['resurrection after pop'] }),
  defect('write-behind: set resolves before the write lands', ['round-trip', 'replace', 'pop', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'copy-semantics', 'bad-input', 'model', 'interleavings', 'concurrency', 'atomic-pop', 'no-resurrection', 'lost-update'], class extends HookedStore {
    override async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
      this.validate(id, ttlMs);
      const value = this.encode(data);
      const expiresAt = this.clock.now() + ttlMs;
      void io().then(() => this.entries.set(this.key(id), { value, expiresAt }));
    }
  }, {}, { clause: 'concurrency', names: ['lost write'] }),
  defect('a read cache that a pop through another instance does not invalidate', ['cross-instance', 'concurrency', 'atomic-pop'], class extends ReadCachingStore {
    override readonly entries = sharedEntriesForPopCache;
    override write(id: string, data: SessionData, ttlMs: number): void {
      super.write(id, data, ttlMs);
      this.cache.delete(id);
    }
  }, { sharedBackend: true }, { clause: 'atomic-pop', names: ['double pop'] }),
  defect('all sessions live in one blob, read and rewritten on every set', ['model', 'interleavings', 'concurrency'], class extends HookedStore {
    blob = '{}';
    override write(): void {
      throw new Error('unused');
    }
    override async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
      this.validate(id, ttlMs);
      const value = this.encode(data);
      const sessions = JSON.parse(this.blob) as Record<string, Entry>;
      await io();
      sessions[this.key(id)] = { value, expiresAt: this.clock.now() + ttlMs };
      this.blob = JSON.stringify(sessions);
      this.entries.clear();
      for (const [key, entry] of Object.entries(sessions)) this.entries.set(key, entry);
    }
  }, {}, { clause: 'interleavings', names: ['lost write', 'resurrection after pop'] }),
  defect('update is a get, then a set', ['interleavings', 'concurrency', 'update'], class extends HookedStore {
    async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
      const current = await this.get(id);
      if (!current) return undefined;
      await io();
      const next = fn(current);
      await this.set(id, next, ttlMs);
      return next;
    }
  }, {}, { clause: 'update', names: ['lost write'] }),

  // ---- Verdicts: what each level makes of a store that fails everything. ----
  // Every MUST clause fails, atomic-pop (SHOULD here) warns, and lost-update (INFO) only informs.
  defect('every call rejects: the backend is down', ['round-trip', 'absent', 'replace', 'pop', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'copy-semantics', 'bad-input', 'model', 'interleavings', 'concurrency', 'atomic-pop', 'no-resurrection', 'lost-update'], class extends HookedStore {
    override validate(): void {
      throw new Error('backend down');
    }
  }),
  defect('rejects bad input with messages that name nothing', ['bad-input'], class extends PhrasedStore {
    constructor(clock: Clock) {
      super(clock, { id: 'argument 1', ttl: 'argument 3', data: 'argument 2' });
    }
  }),

  // ---- TTLs across the range: each maps a TTL the way a real backend or driver has. ----
  defect('TTLs are silently capped at 24 hours', ['ttl-range'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return now + Math.min(ttlMs, DAY_MS);
    }
  }),
  defect('TTLs pass through a 32-bit integer', ['ttl-range'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return now + (ttlMs | 0);
    }
  }),
  defect('a TTL under 1 s is truncated to 0 s, which a seconds-based backend reads as "never expires"', ['replace', 'expiry', 'touch', 'ttl-range', 'bad-input', 'model'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return ttlMs < 1000 ? Infinity : now + ttlMs;
    }
  }, { ttlResolutionMs: 1000 }),
  // connect-session-knex: `maxAge ? now + maxAge : now + oneDay`, so a TTL that rounds down to 0 lives a day.
  defect('a TTL that rounds down to 0 ms gets a default of a day', ['ttl-range'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return now + (Math.floor(ttlMs) || DAY_MS);
    }
  }, { ttlResolutionMs: 1000 }),
  defect('a fractional TTL reaches a driver that takes only whole milliseconds', ['ttl-range'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      // What Redis answers to SET … PX 1500.5.
      if (!Number.isInteger(ttlMs)) throw new Error('ERR value is not an integer or out of range');
      return now + ttlMs;
    }
  }),
  defect('expirations over 30 days are sent to Memcached as relative times', ['ttl-range'], class extends DeadlineStore {
    /** Memcached's rule (in ms here, to keep everything else exact): relative up to 30 days, else a Unix time. */
    override deadline(now: number, expiration: number): number {
      return expiration <= 30 * DAY_MS ? now + expiration : expiration;
    }
  }),

  defect('update keeps the old expiry instead of restarting it', ['ttl-range'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return now + ttlMs;
    }
    // Like Redis's SET … KEEPTTL: the value is replaced in place, the deadline stays.
    override async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
      this.validate(id, ttlMs);
      const entry = this.live(id);
      if (!entry) return undefined;
      entry.value = this.encode(fn(this.decode(entry.value)));
      return this.decode(entry.value);
    }
  }),

  // Like a SQL UPDATE … WHERE sid = $1 without the expiry in its WHERE: a session past its deadline
  // that no sweep removed yet comes back to life with a fresh one.
  defect('update revives a session past its deadline that no sweep removed', ['expiry'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return now + ttlMs;
    }
    override async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
      this.validate(id, ttlMs);
      const entry = this.entries.get(this.key(id));
      if (!entry) return undefined;
      this.write(id, fn(this.decode(entry.value)), ttlMs);
      return this.decode(this.entries.get(this.key(id))!.value);
    }
  }),
  defect('update keeps the object its function returned, and hands it back', ['copy-semantics'], class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return now + ttlMs;
    }
    override decode(value: unknown): SessionData {
      return typeof value === 'string' ? super.decode(value) : (value as SessionData);
    }
    override async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
      this.validate(id, ttlMs);
      const entry = this.live(id);
      if (!entry) return undefined;
      const next = fn(this.decode(entry.value));
      this.entries.set(this.key(id), { value: next, expiresAt: this.clock.now() + ttlMs });
      return next;
    }
  }),

  // ---- Ids that look alike after encoding. ----
  defect('an id sanitizer maps punctuation and spaces to "_"', ['id-isolation'], class extends HookedStore {
    override key(id: string): string {
      return id.replace(/[\s!-/:-@[-`{-~]/g, '_');
    }
  }),
  // Each of these merges ids by one mapping a backend or its driver applies before the key.
  defect('ids are trimmed at the start, as a form parser or SQL LTRIM does', ['id-isolation'], keyedBy((id) => id.trimStart())),
  defect('a leading BOM is dropped, as TextDecoder drops it', ['id-isolation'], keyedBy((id) => id.replace(/^\ufeff/, ''))),
  defect('invisible characters are stripped from ids', ['id-isolation'], keyedBy((id) => id.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, ''))),
  defect('ids are NFKC-normalized', ['id-isolation', 'model'], keyedBy((id) => id.normalize('NFKC'))),
  defect('ids are case-folded the full Unicode way, as an _unicode_ci collation compares', ['id-isolation', 'model'], keyedBy((id) => id.toUpperCase().toLowerCase())),
  defect('ids are URL-decoded, as a router decodes a path parameter', ['id-isolation'], keyedBy((id) => {
    try {
      return decodeURIComponent(id);
    } catch {
      return id; // a stray % that is no escape stays as it is
    }
  })),
  defect('accents are stripped from ids, as an accent-insensitive collation compares', ['id-isolation', 'model'], keyedBy((id) => id.normalize('NFD').replace(/\p{M}/gu, ''))),
  defect('keys end at the first NUL, as C strings do', ['id-isolation'], class extends HookedStore {
    override key(id: string): string {
      return id.split('\u0000', 1)[0]!;
    }
  }),
  defect('ids go unescaped into a REST URL path, which resolves dot segments and drops ?query and #fragment', ['id-isolation', 'model'], class extends HookedStore {
    override key(id: string): string {
      return new URL(`sessions/${id}`, 'http://kv.invalid/').pathname;
    }
  }),
  // Ids too long for a file name are refused clearly (ENAMETOOLONG): one SHOULD finding, no longer an `absent` failure.
  defect('each session is a file named by its id', ['round-trip', 'replace', 'pop', 'id-isolation', 'copy-semantics', 'refused-ids'], FilePerSessionStore),
  defect('pop is a get, then a delete, though declared atomic', ['interleavings', 'concurrency', 'atomic-pop', 'no-resurrection'], GetThenDeletePopStore, { atomicPop: true }, { clause: 'atomic-pop', names: ['double pop'] }),
  // A non-atomic pop is no excuse for a touch that writes back a session a pop removed.
  defect('touch is a get and a set of the old data, and pop a get then a delete', ['interleavings', 'concurrency', 'atomic-pop', 'no-resurrection'], withWriteBackTouch(GetThenDeletePopStore), {}, { clause: 'no-resurrection', names: ['resurrection after pop', 'stale read'] }),

  // ---- Ids a backend refuses: safe when the call rejects and nothing is stored (one SHOULD finding). ----
  defect('refuses ids with NUL, as PostgreSQL text does', ['refused-ids'], refusingIds(pgText)),
  defect('refuses ids with whitespace or control characters, as a Memcached key', ['refused-ids'], refusingIds(memcachedKey)),
  defect('refuses ids over 128 characters, as a VARCHAR(128) column', ['refused-ids'], refusingIds(varchar128)),
  // Two defects in one store: both are reported, the refusal as one finding, the TTL bug where it shows.
  defect('refuses ids with NUL, and a TTL under 1 s never expires', ['replace', 'expiry', 'touch', 'ttl-range', 'bad-input', 'refused-ids', 'model'], refusingIds(pgText, class extends DeadlineStore {
    override deadline(now: number, ttlMs: number): number {
      return ttlMs < 1000 ? Infinity : now + ttlMs;
    }
  }), { ttlResolutionMs: 1000 }),
  // A store that declares its ids and refuses every other id clearly passes everything.
  defect('declares base64url ids, yet accepts others and truncates the long ones', ['refused-ids'], class extends HookedStore {
    override key(id: string): string {
      return id.slice(0, 64);
    }
  }, DECLARED),
  defect('declares base64url ids and refuses others without saying the id was wrong', ['refused-ids'], refusingIds((id) => (base64urlIds(id) && 'invalid input syntax')), DECLARED),
  // A key the store adds of its own is a value no write stored, not a stale read.
  defect('get adds a last-access stamp of its own to the data', ['round-trip', 'replace', 'pop', 'expiry', 'touch', 'ttl-range', 'id-isolation', 'copy-semantics', 'bad-input', 'model', 'interleavings', 'concurrency', 'no-resurrection'], class extends HookedStore {
    override decode(value: unknown): SessionData {
      return { ...super.decode(value), lastAccess: 1 };
    }
  }, {}, { clause: 'concurrency', names: ['value never written'] }),
  // Two writes of one session in flight at once: the second is refused, as SQLite answers SQLITE_BUSY.
  defect('set rejects while another set of the session is in flight', ['interleavings', 'concurrency', 'lost-update'], class extends HookedStore {
    readonly writing = new Set<string>();
    override async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
      this.validate(id, ttlMs);
      if (this.writing.has(id)) throw new Error('SQLITE_BUSY: database is locked');
      this.writing.add(id);
      try {
        await io();
        this.write(id, data, ttlMs);
      } finally {
        this.writing.delete(id);
      }
    }
  }),
  // Stores that make their own ids, with the id makers real stores have shipped.
  ...idDefects,
];
