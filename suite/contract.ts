/**
 * The session-store contract. Everything else in this package depends on this module;
 * it depends on nothing. Each clause's `doc` (suite/clauses/) explains it in prose, rendered into docs/contract.md.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type SessionData = { [key: string]: Json };

export interface SessionStore {
  get(id: string): Promise<SessionData | undefined>;
  set(id: string, data: SessionData, ttlMs: number): Promise<void>;
  /** Remove and return the live value. */
  pop(id: string): Promise<SessionData | undefined>;
  /** Optional: restart expiry of a live session without changing its data. */
  touch?(id: string, ttlMs: number): Promise<boolean>;
  /**
   * Optional: apply a pure `fn` to the live value atomically (it may be retried) and store its
   * result with a fresh `ttlMs`. Resolves to the new value, or `undefined` without creating
   * anything when the session is absent.
   */
  update?(id: string, fn: (current: SessionData) => SessionData, ttlMs: number): Promise<SessionData | undefined>;
  /**
   * Optional, for stores that choose the ids of new sessions themselves (React Router's
   * `createData`): make a new session id as the store does for a new session, and leave nothing
   * behind. The `id-quality` clause judges the ids; stores whose ids the app chooses omit it.
   */
  createId?(): Promise<string>;
  close?(): Promise<void>;
}

/**
 * What a store promises beyond the interface, so the suite knows what to expect of it. A store
 * class may publish these as a static `declares`; factories and instances are read alike.
 */
export interface StoreDeclarations {
  /** How coarse the store's expiry is, in ms (Memcached: 1000). Default 1. */
  ttlResolutionMs?: number;
  /** The largest JSON payload (UTF-8 bytes) the store accepts. Default 1 MiB. */
  maxDataBytes?: number;
  /** Stores from separate `open` calls share one backend (two app servers on one Redis). */
  sharedBackend?: boolean;
  /** Concurrent pops of one session return it at most once. */
  atomicPop?: boolean;
  /** The npm packages the store is, or runs on, whose installed versions a report lists. */
  packages?: readonly string[];
  /** Acknowledged writes survive the faults the target injects (a crash and restart of the backend): the `faults` clause is then a MUST. */
  durable?: boolean;
  /**
   * The session ids the store accepts, when it refuses others (a VARCHAR(128) column, a text
   * protocol that ends keys at whitespace, a database that cannot hold NUL). The data, expiry and
   * concurrency clauses then use only such ids, and `refused-ids` checks that every other id is
   * refused clearly: a rejected promise with an Error naming the id, nothing stored or aliased.
   * Without it every non-empty, well-formed string is an id the store must keep.
   */
  ids?: IdDeclaration;
}

/** The characters of a named id alphabet (see IdDeclaration.alphabet). */
export type IdAlphabet = 'base64url' | 'hex' | 'uuid' | 'alphanumeric' | 'printable-ascii';

/**
 * Which ids a store accepts. Every part given must hold; the suite prefixes the ids it makes
 * with 16 lowercase hex characters of its own, so a declaration must accept those.
 */
export interface IdDeclaration {
  /**
   * The characters ids are made of: `base64url` (A–Z a–z 0–9 - _, what express-session's
   * uid-safe sends), `hex` (0–9 a–f), `uuid` (0–9 a–f and -, what koa-session's randomUUID
   * sends), `alphanumeric` (A–Z a–z 0–9), `printable-ascii` (! to ~: no space, no control
   * character, nothing beyond ASCII).
   */
  alphabet?: IdAlphabet;
  /** The longest id, in characters (code points, as SQL's VARCHAR(n) counts); at least 24. */
  maxLength?: number;
  /**
   * A test every accepted id passes, anchored (`^…$`), without the g or y flag. Give lengths with
   * `maxLength`, not in the pattern: the suite makes ids of every length up to it.
   */
  pattern?: RegExp;
}

/** Milliseconds, on any epoch; stores opened with an injected clock read time only from it. */
export interface Clock {
  now(): number;
}

export type ClauseLevel = 'MUST' | 'SHOULD' | 'INFO';

/** Stable clause ids: used in test names, reports, and the `only`/`skip` options. */
export const CLAUSE_IDS = [
  'round-trip',
  'absent',
  'replace',
  'pop',
  'expiry',
  'touch',
  'ttl-range',
  'id-isolation',
  'copy-semantics',
  'bad-input',
  'refused-ids',
  'model',
  'cross-instance',
  'interleavings',
  'concurrency',
  'atomic-pop',
  'no-resurrection',
  'update',
  'lost-update',
  'faults',
  'id-quality',
  'expiry-while-busy',
] as const;

export type ClauseId = (typeof CLAUSE_IDS)[number];

/** The payload size every store must accept unless it declares a lower `maxDataBytes`. */
export const DEFAULT_MAX_DATA_BYTES = 1024 * 1024;

export const systemClock: Clock = { now: () => Date.now() };
