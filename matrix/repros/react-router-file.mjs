// @react-router/node createFileSessionStorage × concurrency: a commit truncates the session's file before writing it, so a read meanwhile parses a half-written file
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSessionStorage } from '@react-router/node';

const storage = createFileSessionStorage({ dir: await mkdtemp(join(tmpdir(), 'sessions-')) });
const first = await storage.getSession();
first.set('count', 0);
const cookie = (await storage.commitSession(first)).split(';')[0];
const request = async () => { // as an action does: read the session, count, commit
  const session = await storage.getSession(cookie);
  session.set('count', session.get('count') + 1);
  await storage.commitSession(session);
};
for (let round = 1, started = Date.now(); round <= 3000 && Date.now() - started < 20_000; round++) {
  const failed = (await Promise.allSettled(Array.from({ length: 16 }, request))).find((r) => r.status === 'rejected');
  if (failed) process.exit((console.log(`round ${round}: ${failed.reason.message}`), 0)); // Unexpected end of JSON input
}
process.exit((console.log('no torn read this time (a race)'), 3));
