// connect-session-knex 5 (PostgreSQL) × concurrency: two saves of a new session at once can fail with a duplicate key, as its upsert is an update then an insert
import knex from 'knex';
import { ConnectSessionKnexStore } from 'connect-session-knex';

const db = knex({ client: 'pg', connection: process.env.POSTGRES_URL });
const store = new ConnectSessionKnexStore({ knex: db, tableName: `knex_repro_${process.pid}`, cleanupInterval: 0 });
const sess = { cookie: { originalMaxAge: 60_000, maxAge: 60_000, expires: new Date(Date.now() + 60_000) } };
let failure;
for (let i = 0; i < 500 && !failure; i++) {
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.set(`new-${i}`, sess))); // eight tabs' first requests
  failure = results.find((r) => r.status === 'rejected')?.reason;
}
await db.schema.dropTable(`knex_repro_${process.pid}`);
await db.destroy();
console.log(failure ? `two first saves at once: ${failure.message}` : 'no duplicate key this time (a race)');
process.exit(failure ? 0 : 3);
