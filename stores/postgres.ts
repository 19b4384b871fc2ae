import { createRequire } from 'node:module';
import type { Pool, QueryResultRow } from 'pg';
import type { SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
import { redactUrl, withTimeout } from './connection-error.js';
import { assertValidId, assertValidTtl, assertValidUpdate, decodeSession, encodeSession } from './session-codec.js';

export interface PostgresStoreOptions {
  /** postgres://[user[:password]@]host[:port]/database (or postgresql://). Ignored when `pool` is given. */
  url?: string;
  /** An existing pg Pool; the store then leaves ending it to you. */
  pool?: Pool;
  /** Table name (letters, digits, underscore; at most 63 characters, used exactly as given). Default 'sessions'. */
  table?: string;
  /** How long connecting, and each statement, may take. Default 5,000 ms. */
  timeoutMs?: number;
  /** Connections in the store's own pool. Default 10. */
  maxConnections?: number;
  /** Sweep for expired rows once every this many writes. Default 100. */
  sweepEveryWrites?: number;
  /** Rows examined per sweep, resuming where the last one stopped. Default 200: with the default sweep interval, two rows per write, more than writes can create. */
  sweepBatch?: number;
}

// pg is an optional peer: load it only when a PostgresStore is built, with an actionable error.
function loadPg(): typeof import('pg') {
  try {
    return createRequire(import.meta.url)('pg') as typeof import('pg');
  } catch (cause) {
    throw new Error('PostgresStore needs pg: npm install pg@8', { cause });
  }
}

/** The SQL of every operation on one table, named so that each connection prepares it once (the bench's raw pg runs the same). */
export function postgresStatements(table: string) {
  const t = `"${table}"`;
  // Expiry is judged by the database's clock alone (now(), the statement's transaction start):
  // every app server sharing the table then agrees on when a session ends, whatever its own
  // clock says. The app sends only durations.
  const deadline = `now() + $2::float8 * interval '1 millisecond'`;
  const named = (name: string, text: string) => ({ name: `scc-${name}-${table}`, text });
  return {
    // id is bytea: compared byte for byte (no collation can make two ids equal), and able to
    // hold any string, NUL included, which text cannot.
    // No index on expires_at: touches and updates then change no indexed column, so PostgreSQL
    // can update the row in place (HOT) where the page has room, which fillfactor 90 leaves.
    create: `CREATE TABLE IF NOT EXISTS ${t} (id bytea PRIMARY KEY, data text NOT NULL, expires_at timestamptz NOT NULL) WITH (fillfactor = 90)`,
    get: named('get', `SELECT data FROM ${t} WHERE id = $1 AND expires_at > now()`),
    set: named('set', `INSERT INTO ${t} (id, expires_at, data) VALUES ($1, ${deadline}, $3) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`),
    pop: named('pop', `DELETE FROM ${t} WHERE id = $1 AND expires_at > now() RETURNING data`),
    touch: named('touch', `UPDATE ${t} SET expires_at = ${deadline} WHERE id = $1 AND expires_at > now()`),
    // xmin, the id of the transaction that wrote this row version, is a version number that
    // PostgreSQL keeps for us: any write of the row (a set, an update, a pop and a new set)
    // changes it, so the compare-and-set below cannot be fooled by a value that came back.
    read: named('read', `SELECT data, xmin::text AS version FROM ${t} WHERE id = $1 AND expires_at > now()`),
    replace: named('replace', `UPDATE ${t} SET data = $3, expires_at = ${deadline} WHERE id = $1 AND xmin = $4::xid AND expires_at > now()`),
    // One bounded batch of the primary key from the cursor on: its expired rows go, and the last
    // id of the batch is the next cursor. The DELETE checks expiry itself, so a row refreshed
    // meanwhile stays.
    sweep: named(
      'sweep',
      `WITH batch AS (SELECT id, expires_at FROM ${t} WHERE id > $1 ORDER BY id LIMIT $2),
       swept AS (DELETE FROM ${t} WHERE id IN (SELECT id FROM batch WHERE expires_at <= now()) AND expires_at <= now() RETURNING 1)
       SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*) FROM swept)::int AS swept`,
    ),
  };
}

/** Runs `create`, a CREATE TABLE IF NOT EXISTS, which does not cover two of them at once. */
export async function createTable(pool: Pool, create: string): Promise<void> {
  try {
    await pool.query(create);
  } catch (error) {
    // The loser of the race fails on the catalog's unique index (23505) or finds the table made (42P07).
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P07') throw error;
  }
}

/**
 * Sessions as rows of one table: an upsert, a DELETE … RETURNING pop, and an optimistic
 * compare-and-set update, with expiry in the database's clock.
 */
export class PostgresStore implements SessionStore {
  /**
   * Durable on a server that commits synchronously, PostgreSQL's default: every statement is its
   * own transaction, acknowledged once its commit record is written. Measured by killing and
   * restarting the server (test/fault-injection-postgres.test.ts), where an UNLOGGED sessions
   * table fails the claim (synchronous_commit off can too, but only for its last unwritten WAL page).
   */
  static readonly declares: StoreDeclarations = { ttlResolutionMs: 1, sharedBackend: true, atomicPop: true, durable: true, packages: ['pg'] };

  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #where: string;
  readonly #sql: ReturnType<typeof postgresStatements>;
  readonly #sweepEveryWrites: number;
  readonly #sweepBatch: number;
  /** The id the last sweep stopped at: sweeps walk the primary key round and round. */
  #sweepCursor: Buffer = Buffer.alloc(0);
  #writesSinceSweep = 0;
  #sweeping: Promise<void> | undefined;
  #lastConnectionError: string | undefined;

  constructor(options: PostgresStoreOptions = {}) {
    const table = options.table ?? 'sessions';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) throw new TypeError(`table must be a plain SQL identifier of at most 63 characters, got ${JSON.stringify(table)}`);
    const timeoutMs = options.timeoutMs ?? 5000;
    this.#sql = postgresStatements(table);
    this.#sweepEveryWrites = options.sweepEveryWrites ?? 100;
    this.#sweepBatch = options.sweepBatch ?? 200;
    this.#ownsPool = options.pool === undefined;
    const url = options.url ?? 'postgres://127.0.0.1:5432/postgres';
    this.#where = options.pool ? 'the given pg Pool' : redactUrl(url);
    this.#pool =
      options.pool ??
      new (loadPg().Pool)({
        connectionString: url,
        max: options.maxConnections ?? 10,
        connectionTimeoutMillis: timeoutMs,
        // Client-side: a statement whose connection hangs (a partition) fails instead of waiting forever.
        query_timeout: timeoutMs,
      });
    // An idle connection that breaks (the server restarted) is reported here and dropped by the
    // pool; without a listener it would crash the process. Calls fail through their own errors.
    if (this.#ownsPool) this.#pool.on('error', (error) => (this.#lastConnectionError = error.message));
  }

  /** Builds a store, checks within the timeout that the server answers, and creates the table if it is missing. */
  static async connect(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    const timeoutMs = options.timeoutMs ?? 5000;
    try {
      await withTimeout(createTable(store.#pool, store.#sql.create), timeoutMs, () => `no answer within ${timeoutMs} ms`);
    } catch (error) {
      await store.close().catch(() => {});
      const why = store.#lastConnectionError ? ` (${store.#lastConnectionError})` : '';
      throw new Error(`PostgresStore could not use ${store.#where}: ${(error as Error).message}${why}`, { cause: error });
    }
    return store;
  }

  /** The pool, for inspection and for raw-driver comparisons. */
  get pool(): Pool {
    return this.#pool;
  }

  async #query<Row extends QueryResultRow>(what: string, statement: { name: string; text: string }, values: unknown[]): Promise<{ rows: Row[]; rowCount: number }> {
    try {
      const result = await this.#pool.query<Row>({ ...statement, values });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw new Error(`PostgreSQL ${what} at ${this.#where} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async get(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    const { rows } = await this.#query<{ data: string }>('get', this.#sql.get, [Buffer.from(id)]);
    return rows[0] && decodeSession(rows[0].data);
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    await this.#query('set', this.#sql.set, [Buffer.from(id), ttlMs, encodeSession(data)]);
    this.#sweepSometimes();
  }

  async pop(id: string): Promise<SessionData | undefined> {
    assertValidId(id);
    // One statement: of two concurrent pops, the second waits for the first's row lock and then
    // finds the row gone.
    const { rows } = await this.#query<{ data: string }>('pop', this.#sql.pop, [Buffer.from(id)]);
    return rows[0] && decodeSession(rows[0].data);
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    assertValidId(id);
    assertValidTtl(ttlMs);
    return (await this.#query('touch', this.#sql.touch, [Buffer.from(id), ttlMs])).rowCount > 0;
  }

  /**
   * Optimistic: read the row and its version, compute, and write only if the version is unchanged,
   * else read again. Two round trips on any pooled connection, and no lock held while `fn` (the
   * app's code) runs; `SELECT … FOR UPDATE` would pin a connection for four (BEGIN, SELECT, UPDATE,
   * COMMIT) and make every other writer of the session wait for it.
   */
  async update(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined> {
    assertValidUpdate(id, fn, ttlMs);
    const key = Buffer.from(id);
    for (;;) {
      const { rows } = await this.#query<{ data: string; version: string }>('update (read)', this.#sql.read, [key]);
      const row = rows[0];
      if (!row) return undefined;
      const json = encodeSession(fn(decodeSession(row.data)));
      const { rowCount } = await this.#query('update (compare-and-set)', this.#sql.replace, [key, ttlMs, json, row.version]);
      if (rowCount > 0) return decodeSession(json);
      // Someone wrote in between, or the session ended: read again.
    }
  }

  async close(): Promise<void> {
    await this.#sweeping;
    if (this.#ownsPool && !this.#pool.ended) await this.#pool.end();
  }

  /** In the background, one at a time: a write does not wait for it, and a failed sweep is simply the next one's work. */
  #sweepSometimes(): void {
    if (++this.#writesSinceSweep < this.#sweepEveryWrites || this.#sweeping) return;
    this.#writesSinceSweep = 0;
    this.#sweeping = this.sweep()
      .then(() => {}, () => {})
      .finally(() => (this.#sweeping = undefined));
  }

  /**
   * Deletes the expired rows among the next `sweepBatch` ids and resolves to how many it deleted.
   * Writes call it by themselves; an app whose sessions stop being written can call it from a timer.
   */
  async sweep(): Promise<number> {
    const { rows } = await this.#query<{ last: Buffer | null; swept: number }>('sweep', this.#sql.sweep, [this.#sweepCursor, this.#sweepBatch]);
    // Past the last id: the next sweep starts again from the first.
    this.#sweepCursor = rows[0]?.last ?? Buffer.alloc(0);
    return rows[0]?.swept ?? 0;
  }
}
