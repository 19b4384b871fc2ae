// connect-session-knex 5 (SQLite) × ttl-range: a cookie with maxAge 0 (expiring now) is given one day, as `maxAge ? now + maxAge : now + 86400000`
import { join } from 'node:path';
import knex from 'knex';
import { ConnectSessionKnexStore } from 'connect-session-knex';

const db = knex({ client: 'better-sqlite3', connection: { filename: join(process.env.TMPDIR ?? '/tmp', `knex-maxage-${process.pid}.db`) }, useNullAsDefault: true });
const store = new ConnectSessionKnexStore({ knex: db, tableName: 'sessions', cleanupInterval: 0 });
await store.ready;
// express-session's cookie.maxAge getter is the ms left: 0 when the session is saved as it expires.
await store.set('sid', { cookie: { originalMaxAge: 1000, maxAge: 0, expires: new Date() } });
await new Promise((r) => setTimeout(r, 1500));
const kept = await store.get('sid');
const [{ expired }] = await db('sessions').select('expired').where('sid', 'sid');
console.log(`maxAge 0, 1.5 s later: ${kept ? 'still there' : 'gone'}; expires at ${expired}`);
await db.destroy();
process.exit(kept ? 0 : 1);
