// connect-memcached 3 × ttl-range: a cookie with under 1 s left gives a TTL of (maxAge / 1000) | 0 = 0 seconds, which memcached reads as "never expires"
import session from 'express-session';
import connectMemcached from 'connect-memcached';

const store = new (connectMemcached(session))({ hosts: new URL(process.env.MEMCACHED_URL).host, prefix: `repro${process.pid}:` });
const cookie = (ms) => ({ originalMaxAge: ms, maxAge: ms, expires: new Date(Date.now() + ms) });
await new Promise((r) => store.set('short', { cookie: cookie(500) }, r)); // half a second left
await new Promise((r) => setTimeout(r, 2000));
const kept = await new Promise((r) => store.get('short', (err, s) => r(s)));
console.log(`maxAge 500 ms, 2 s later: ${kept ? 'still there' : 'gone'}`);
await new Promise((r) => store.destroy('short', r));
store.client.end();
process.exit(kept ? 0 : 1);
