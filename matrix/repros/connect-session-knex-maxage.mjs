// connect-session-knex 5 (PostgreSQL) × ttl-range: a cookie with maxAge 0 (expiring now) is given one day, as `maxAge ? now + maxAge : now + 86400000`
import knex from 'knex';
import { ConnectSessionKnexStore } from 'connect-session-knex';

const db = knex({ client: 'pg', connection: process.env.POSTGRES_URL });
const table = `knex_maxage_${process.pid}`;
const store = new ConnectSessionKnexStore({ knex: db, tableName: table, cleanupInterval: 0 });
// express-session's cookie.maxAge getter is the ms left: 0 when the session is saved as it expires.
await store.set('sid', { cookie: { originalMaxAge: 1000, maxAge: 0, expires: new Date() } });
await new Promise((r) => setTimeout(r, 1500));
const kept = await store.get('sid');
const [{ expired }] = await db(table).select('expired').where('sid', 'sid');
console.log(`maxAge 0, 1.5 s later: ${kept ? 'still there' : 'gone'}; expires at ${expired.toISOString?.() ?? expired}`);
await db.schema.dropTable(table);
await db.destroy();
process.exit(kept ? 0 : 1);
