// memorystore 1 × ttl-range: a cookie with under 1 ms left gives Math.floor(maxAge) = 0, which lru-cache reads as "never expires"
import session from 'express-session';
import createMemoryStore from 'memorystore';

const store = new (createMemoryStore(session))({});
const set = (sid, ms) => new Promise((r) => store.set(sid, { cookie: { originalMaxAge: ms, maxAge: ms, expires: new Date(Date.now() + ms) } }, r));
const get = (sid) => new Promise((r) => store.get(sid, (err, s) => r(s)));
await set('short', 0.5); // express-session's cookie.maxAge getter: the ms left
await set('longer', 2);
await new Promise((r) => setTimeout(r, 1000));
const [short, longer] = [await get('short'), await get('longer')];
console.log(`maxAge 0.5 ms, 1 s later: ${short ? 'still there' : 'gone'}; maxAge 2 ms: ${longer ? 'still there' : 'gone'}`);
store.stopInterval();
process.exit(short && !longer ? 0 : 1);
