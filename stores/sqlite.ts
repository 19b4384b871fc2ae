import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { systemClock, type Clock, type SessionData, type SessionStore, type StoreDeclarations } from '../suite/contract.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export interface SqliteStoreOptions {
  /** A database file path, or ':memory:'. Ignored when `database` is given. Default ':memory:'. */
  path?: string;
  /** An open better-sqlite3 handle; the store then leaves closing it to you. */
  database?: BetterSqlite3.Database;
  /** Table name (letters, digits, underscore). Default 'sessions'. */
  table?: string;
  clock?: Clock;
  /** Sweep for expired rows once every this many writes. Default 100. */
  sweepEveryWrites?: number;
  /** Rows examined per sweep, resuming where the last one stopped. Default 200: with the default sweep interval, two rows per write, more than writes can create. */
  sweepBatch?: number;
}

// better-sqlite3 is an optional peer: load it only when a SqliteStore is built, with an actionable error.
function openDatabase(path: string): BetterSqlite3.Database {
  let Database: typeof BetterSqlite3;
  try {
    Database = createRequire(import.meta.url)('better-sqlite3');
  } catch (cause) {
    throw new Error('SqliteStore needs better-sqlite3: npm install better-sqlite3@12', { cause });
  }
  return new Database(path);
}

/** Sessions in one WITHOUT ROWID table, expiry compared against the store's clock in every statement. */
export class SqliteStore implements SessionStore {
  /** Handles on one file share a backend too; declare `sharedBackend` for such a target. */
  static readonly declares: StoreDeclarations = { atomicPop: true, packages: ['better-sqlite3'] };

  readonly #db: BetterSqlite3.Database;
  readonly #ownsDatabase: boolean;
  readonly #clock: Clock;
  readonly #sweepEveryWrites: number;
  readonly #sweepBatch: number;
  /** The id the last sweep stopped at: sweeps walk the primary key round and round. */
  #sweepCursor = '';
  #writesSinceSweep = 0;
  readonly #statements;

  constructor(options: SqliteStoreOptions = {}) {
    const table = options.table ?? 'sessions';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new TypeError(`table must be a plain SQL identifier, got ${JSON.stringify(table)}`);
    this.#clock = options.clock ?? systemClock;
    this.#sweepEveryWrites = options.sweepEveryWrites ?? 100;
    this.#sweepBatch = options.sweepBatch ?? 200;
    this.#ownsDatabase = options.database === undefined;
    this.#db = options.database ?? openDatabase(options.path ?? ':memory:');
    this.#db.pragma('journal_mode = WAL');
    // Several handles on one file (several app processes) wait for each other instead of failing.
    this.#db.pragma('busy_timeout = 5000');
    // BINARY collation (the default, stated here on purpose): ids differing in case, spaces or
    // Unicode normalization must never alias.
    this.#db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
      data TEXT NOT NULL,
      expires_at REAL NOT NULL
    ) WITHOUT ROWID;`);
    // No index on expires_at: every write would pay to maintain it. Sweeps instead walk the primary
    // key in bounded batches, so expired rows are reclaimed at a bounded cost per write.
    this.#statements = {
      get: this.#db.prepare<[string, number], { data: string }>(`SELECT data FROM ${table} WHERE id = ? AND expires_at > ?`),
      set: this.#db.prepare<[string, string, number]>(
        `INSERT INTO ${table} (id, data, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
      ),
      // An expired row goes too: it is no session, and would otherwise wait for a sweep.
      pop: this.#db.prepare<[string], { data: string; expires_at: number }>(`DELETE FROM ${table} WHERE id = ? RETURNING data, expires_at`),
      touch: this.#db.prepare<[number, string, number]>(`UPDATE ${table} SET expires_at = ? WHERE id = ? AND expires_at > ?`),
      replace: this.#db.prepare<[string, number, string, number]>(`UPDATE ${table} SET data = ?, expires_at = ? WHERE id = ? AND expires_at > ?`),
      sweepBatchEnd: this.#db.prepare<[string, number], { last: string | null }>(
        `SELECT max(id) AS last FROM (SELECT id FROM ${table} WHERE id > ? ORDER BY id LIMIT ?)`,
      ),
      sweep: this.#db.prepare<[string, string, number]>(`DELETE FROM ${table} WHERE id > ? AND id <= ? AND expires_at <= ?`),
    };
  }

  /** The underlying handle, for inspection and for raw-driver comparisons. */
  get database(): BetterSqlite3.Database {
    return this.#db;
  }

  async get(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const row = this.#statements.get.get(id, this.#clock.now());
    return row && decodeSession(row.data);
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const json = encodeSession(data);
    const now = this.#clock.now();
    this.#statements.set.run(id, json, now + ttlMs);
    this.#sweepSometimes(now);
  }

  async pop(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    // One statement: two concurrent pops (even from two processes) cannot both get the row.
    const row = this.#statements.pop.get(id);
    return row && row.expires_at > this.#clock.now() ? decodeSession(row.data) : undefined;
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    const now = this.#clock.now();
    return this.#statements.touch.run(now + ttlMs, id, now).changes > 0;
  }

  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    assertValidUpdate(id, fn, ttlMs);
    // IMMEDIATE takes the write lock before reading, so another handle cannot write in between.
    return this.#db.transaction((): SessionData | undefined => {
      const now = this.#clock.now();
      const row = this.#statements.get.get(id, now);
      if (!row) return undefined;
      const json = encodeSession(fn(decodeSession(row.data)));
      this.#statements.replace.run(json, now + ttlMs, id, now);
      return decodeSession(json);
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.#ownsDatabase && this.#db.open) this.#db.close();
  }

  #sweepSometimes(now: number): void {
    if (++this.#writesSinceSweep < this.#sweepEveryWrites) return;
    this.#writesSinceSweep = 0;
    const { sweepBatchEnd, sweep } = this.#statements;
    let last = sweepBatchEnd.get(this.#sweepCursor, this.#sweepBatch)?.last ?? null;
    if (last === null && this.#sweepCursor !== '') {
      // Past the last id: start again from the first.
      this.#sweepCursor = '';
      last = sweepBatchEnd.get('', this.#sweepBatch)?.last ?? null;
    }
    if (last === null) return;
    sweep.run(this.#sweepCursor, last, now);
    this.#sweepCursor = last;
  }
}
