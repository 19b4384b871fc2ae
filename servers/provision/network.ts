/** Loopback ports, and knowing when a server at one is serving. */
import { createConnection, createServer } from 'node:net';

/** A plain-text command and the prefix (string) or pattern (RegExp) its reply must have. */
export type TextProbe = [command: string, reply: string | RegExp];

/**
 * A probe for a binary protocol: the bytes sent on connecting (none, for a server that speaks
 * first), and a judge of the answer so far: true serving, false not, undefined wait for more.
 */
export interface ByteProbe {
  send: Buffer;
  judge(answer: Buffer): boolean | undefined;
}

/**
 * A loopback port that was free a moment ago: `port`, or any with 0 (neither server accepts port
 * 0 and reports the real one). Resolves to undefined when `port` is taken.
 */
async function freePort(port = 0): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** Any loopback port that was free a moment ago. */
export async function freeLoopbackPort(): Promise<number> {
  const port = await freePort();
  if (port === undefined) throw new Error('no free loopback port');
  return port;
}

/**
 * A free port for a cluster node: a node also listens on port + 10000 for the cluster bus, so
 * that one must be free too (and so the port at most 55535). Ports in `taken` are avoided.
 */
export async function freeClusterPort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await freeLoopbackPort();
    if (port <= 55_535 && !taken.has(port) && !taken.has(port + 10_000) && (await freePort(port + 10_000)) !== undefined) return port;
  }
  throw new Error('found no free loopback port p with p + 10000 free too, in 100 tries');
}

/** A reply is complete at its first line, or for a bulk string ($<length>) once all of it arrived. */
function replyComplete(data: string): boolean {
  const bulk = /^\$(\d+)\r\n/.exec(data);
  return bulk ? Buffer.byteLength(data) >= bulk[0].length + Number(bulk[1]) + 2 : data.includes('\n');
}

function textProbe([command, reply]: TextProbe): ByteProbe {
  return {
    send: Buffer.from(command),
    judge: (answer) => {
      const data = answer.toString();
      if (!replyComplete(data)) return undefined;
      return typeof reply === 'string' ? data.startsWith(reply) : reply.test(data);
    },
  };
}

/** Resolves once a server at host:port answers the probe as serving; rejects after `timeoutMs`. */
export async function waitUntilServing(host: string, port: number, probe: TextProbe | ByteProbe, timeoutMs: number): Promise<void> {
  const { send, judge } = Array.isArray(probe) ? textProbe(probe) : probe;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port });
      let answer = Buffer.alloc(0);
      const done = (result: boolean, why?: string) => {
        if (why) lastError = why;
        socket.destroy();
        resolve(result);
      };
      socket.setTimeout(500, () => done(false, 'timed out'));
      socket.once('error', (error) => done(false, error.message));
      socket.once('connect', () => send.length > 0 && socket.write(send));
      socket.on('data', (chunk: Buffer) => {
        answer = Buffer.concat([answer, chunk]);
        const verdict = judge(answer);
        if (verdict !== undefined) done(verdict, `answered ${JSON.stringify(answer.toString().trim())}`);
      });
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${host}:${port} did not answer within ${timeoutMs} ms (${lastError})`);
}
