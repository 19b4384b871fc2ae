// react-router createMemorySessionStorage × id-quality: its ids are Math.random().toString(36).substring(2, 10), at most 8 base-36 characters, about 41 bits
import { createMemorySessionStorage } from 'react-router';

const storage = createMemorySessionStorage();
const ids = [];
for (let i = 0; i < 1000; i++) {
  const cookie = (await storage.commitSession(await storage.getSession())).split(';')[0];
  ids.push((await storage.getSession(cookie)).id);
}
const alphabet = new Set(ids.join(''));
const longest = Math.max(...ids.map((id) => id.length));
const bits = longest * Math.log2(alphabet.size);
console.log(`${ids.length} ids like ${ids.slice(0, 3).join(', ')}: ${alphabet.size} characters, at most ${longest} long, at most ${bits.toFixed(1)} bits (64 needed)`);
process.exit(bits < 64 ? 0 : 1);
