/**
 * Broken express-session stores, each with one bug that connect-style stores have shipped, built
 * on express-session's own MemoryStore, and the clauses that must catch it through
 * fromExpressStore. `fails` is exact.
 */
import session from 'express-session';
import { fromExpressStore } from '../../adapters/index.js';
import { CLAUSE_IDS, type ClauseId } from '../../suite/contract.js';
import { decodeSession } from '../../stores/session-codec.js';
import type { StoreFactory } from '../../entry/index.js';

export interface ExpressDefect {
  name: string;
  fails: ClauseId[];
  target: StoreFactory;
}

type Callback = (error?: unknown) => void;
/** A session as express-session hands it to a store: its cookie's `maxAge` is the time left, in ms. */
type StoredSession = { cookie: { maxAge: number | null; expires?: unknown } };

/** The clauses in the order the suite reports them, so `fails` reads like a report. */
const inReportOrder = (ids: ClauseId[]): ClauseId[] => [...new Set(ids)].sort((a, b) => CLAUSE_IDS.indexOf(a) - CLAUSE_IDS.indexOf(b));

const defect = (name: string, fails: ClauseId[], Store: new () => session.Store, ttlResolutionMs?: number): ExpressDefect => ({
  name,
  // fromExpressStore's pop (get, then destroy) only warns on atomic-pop, a SHOULD for these stores.
  fails: inReportOrder(fails),
  target: fromExpressStore(new Store(), { name, ...(ttlResolutionMs && { ttlResolutionMs }) }),
});

/** The TTL in whole seconds, truncated: a session of 1.9 s lives 1 s, one of 0.9 s not at all. */
function truncatedToSeconds(sess: StoredSession): StoredSession {
  const seconds = (sess.cookie.maxAge ?? 0) / 1000 | 0;
  // Through JSON, as the store would keep it (the cookie's getters become values).
  const stored = decodeSession(JSON.stringify(sess)) as unknown as StoredSession;
  stored.cookie.expires = new Date(Date.now() + seconds * 1000).toISOString();
  return stored;
}

const DAY_MS = 24 * 3600 * 1000;

/** connect-session-knex's rule: `maxAge ? now + maxAge : now + oneDay`, so a session with no time left lives a day. */
function aDayWhenMaxAgeIsZero(sess: StoredSession): StoredSession {
  if (sess.cookie.maxAge) return sess;
  const stored = decodeSession(JSON.stringify(sess)) as unknown as StoredSession;
  stored.cookie.expires = new Date(Date.now() + DAY_MS).toISOString();
  return stored;
}

export const expressDefects: ExpressDefect[] = [
  // A touch that writes back the session it was handed: a logout or a newer save in between is undone.
  defect('touch implemented as a full set', ['concurrency', 'no-resurrection'], class extends session.MemoryStore {
    override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
      this.set(sid, sess, callback);
    }
  }),
  defect('TTL from maxAge / 1000 | 0', ['replace', 'expiry', 'touch', 'ttl-range', 'concurrency'], class extends session.MemoryStore {
    override set(sid: string, sess: session.SessionData, callback?: Callback): void {
      super.set(sid, truncatedToSeconds(sess as StoredSession) as session.SessionData, callback);
    }
    override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
      super.touch(sid, truncatedToSeconds(sess as StoredSession) as session.SessionData, callback);
    }
  }),
  // express-session destroys on every logout, of a session it found or not: an expired one, a second tab's.
  defect('destroy errors on a missing id', ['absent', 'pop', 'expiry', 'ttl-range', 'model', 'concurrency'], class extends session.MemoryStore {
    override destroy(sid: string, callback?: Callback): void {
      // express-session's MemoryStore keeps its sessions in a plain `sessions` object.
      const { sessions } = this as unknown as { sessions: Record<string, string> };
      if (!Object.hasOwn(sessions, sid)) return void setImmediate(() => callback?.(new Error('no such session')));
      super.destroy(sid, callback);
    }
  }),
  // A TTL of 0.5 ms or 1 ms reaches the store as a maxAge of 0: a day. Declaring 1 s resolution does not excuse it.
  defect('a maxAge of 0 lives a day', ['ttl-range'], class extends session.MemoryStore {
    override set(sid: string, sess: session.SessionData, callback?: Callback): void {
      super.set(sid, aDayWhenMaxAgeIsZero(sess as StoredSession) as session.SessionData, callback);
    }
    override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
      super.touch(sid, aDayWhenMaxAgeIsZero(sess as StoredSession) as session.SessionData, callback);
    }
  }, 1000),
];
