import { systemClock, type Clock, type SessionData, type SessionStore, type StoreDeclarations } from '../suite/contract.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export interface MemoryStoreOptions {
  /** Time source; tests inject a manual clock. Defaults to `Date.now`. */
  clock?: Clock;
  /** Entries examined for expiry on each write, so expired sessions never pile up. */
  sweepPerWrite?: number;
}

interface Entry {
  /** Stored as JSON text: a copy that no caller can mutate, and exactly what a networked store would hold. */
  json: string;
  expiresAt: number;
}

/** The embedded default store: a Map with lazy expiry plus a bounded incremental sweep. */
export class MemoryStore implements SessionStore {
  static readonly declares: StoreDeclarations = { atomicPop: true };

  readonly #sessions = new Map<string, Entry>();
  readonly #clock: Clock;
  readonly #sweepPerWrite: number;
  // A live Map iterator: it sees later insertions and skips deleted keys, so the sweep resumes where it stopped.
  #sweepCursor: Iterator<[string, Entry]> | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#sweepPerWrite = options.sweepPerWrite ?? 2;
  }

  /** Entries held, live or not yet swept. */
  get size(): number {
    return this.#sessions.size;
  }

  async get(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const entry = this.#live(id);
    return entry && decodeSession(entry.json);
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const json = encodeSession(data);
    this.#sessions.set(id, { json, expiresAt: this.#clock.now() + ttlMs });
    this.#sweep();
  }

  async pop(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const entry = this.#live(id);
    if (!entry) return undefined;
    this.#sessions.delete(id);
    return decodeSession(entry.json);
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const entry = this.#live(id);
    if (!entry) return false;
    entry.expiresAt = this.#clock.now() + ttlMs;
    return true;
  }

  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    assertValidUpdate(id, fn, ttlMs);
    const entry = this.#live(id);
    if (!entry) return undefined;
    // Nothing can interleave between the read and the write: this body never awaits.
    const json = encodeSession(fn(decodeSession(entry.json)));
    this.#sessions.set(id, { json, expiresAt: this.#clock.now() + ttlMs });
    return decodeSession(json);
  }

  async close(): Promise<void> {
    this.#sessions.clear();
  }

  #live(id: string): Entry | undefined {
    const entry = this.#sessions.get(id);
    if (entry === undefined) return undefined;
    if (this.#clock.now() < entry.expiresAt) return entry;
    this.#sessions.delete(id);
    return undefined;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (let examined = 0; examined < this.#sweepPerWrite; examined++) {
      this.#sweepCursor ??= this.#sessions.entries();
      const next = this.#sweepCursor.next();
      if (next.done) {
        // Start over from the oldest entry; the examined count still bounds the loop.
        this.#sweepCursor = undefined;
        continue;
      }
      const [id, entry] = next.value;
      if (now >= entry.expiresAt) this.#sessions.delete(id);
    }
  }
}
