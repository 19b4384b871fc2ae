// connect-memcached 3 × ttl-range: a TTL over 30 days is sent as seconds, which memcached reads as a Unix time in 1970, so the session is gone at once
import session from 'express-session';
import connectMemcached from 'connect-memcached';

const store = new (connectMemcached(session))({ hosts: new URL(process.env.MEMCACHED_URL).host, prefix: `repro${process.pid}:` });
const days = (n) => n * 86_400_000;
const cookie = (ms) => ({ originalMaxAge: ms, maxAge: ms, expires: new Date(Date.now() + ms) });
await new Promise((r) => store.set('month', { cookie: cookie(days(29)) }, r));
await new Promise((r) => store.set('year', { cookie: cookie(days(365)) }, r)); // a "remember me" cookie
const get = (sid) => new Promise((r) => store.get(sid, (err, s) => r(s)));
const [month, year] = [await get('month'), await get('year')];
console.log(`29 days: ${month ? 'there' : 'gone'}; 365 days, read at once: ${year ? 'there' : 'gone'}`);
await new Promise((r) => store.destroy('month', r));
store.client.end();
process.exit(month && !year ? 0 : 1);
