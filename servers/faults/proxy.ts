/**
 * A TCP proxy in front of one server, for the `faults` clause: a store connects through it, and
 * the proxy partitions (holds every byte, per direction, for a while), drops (resets every
 * connection) or slows (delays every byte) the traffic. Bytes held by a partition are delivered
 * in order once it ends, as TCP would retransmit them: a partition never corrupts a stream.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Fault, FaultDriver } from '../../suite/faults/plan.js';

type Direction = 'to-server' | 'to-client';

interface Held {
  chunk: Buffer;
  /** Not delivered before this instant (monotonic ms): the latency in effect when it arrived. */
  due: number;
}

/** One direction of one connection: a FIFO that a partition stops and latency delays. */
class Pipe {
  readonly #queue: Held[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly to: Socket,
    private readonly proxy: FaultProxy,
    private readonly direction: Direction,
  ) {}

  push(chunk: Buffer): void {
    this.#queue.push({ chunk, due: performance.now() + this.proxy.latencyMs });
    this.pump();
  }

  /** Delivers what is due; otherwise wakes again when the head is due, re-checking then: a timer may fire early. */
  pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const wait = Math.max(this.proxy.partitionedFor(this.direction), this.#queue[0]!.due - performance.now());
      if (wait > 0) {
        this.#timer = setTimeout(() => this.pump(), Math.ceil(wait));
        return;
      }
      this.to.write(this.#queue.shift()!.chunk);
    }
  }

  discard(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }
}

export class FaultProxy implements FaultDriver {
  latencyMs = 0;
  readonly #server: Server;
  readonly #target: { host: string; port: number };
  readonly #connections = new Set<{ client: Socket; upstream: Socket; pipes: Pipe[] }>();
  /** Per direction, when its partition ends (monotonic ms). */
  readonly #partitionedUntil: Record<Direction, number> = { 'to-server': 0, 'to-client': 0 };

  private constructor(server: Server, target: { host: string; port: number }) {
    this.#server = server;
    this.#target = target;
    server.on('connection', (client) => this.#accept(client));
  }

  /** Listens on a free loopback port and forwards to `target`. */
  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new FaultProxy(server, target);
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  /** `url` with its host and port replaced by the proxy's (for a store to connect through it). */
  url(url: string): string {
    return url.replace(/\/\/([^@/]*@)?[^/,]+/, `//$1127.0.0.1:${this.port}`);
  }

  /** How much longer `direction` is partitioned, in ms (0: it is not). */
  partitionedFor(direction: Direction): number {
    return Math.max(0, this.#partitionedUntil[direction] - performance.now());
  }

  #accept(client: Socket): void {
    const upstream = connect(this.#target);
    const pipes = [new Pipe(upstream, this, 'to-server'), new Pipe(client, this, 'to-client')];
    const connection = { client, upstream, pipes };
    this.#connections.add(connection);
    client.on('data', (chunk) => pipes[0]!.push(chunk));
    upstream.on('data', (chunk) => pipes[1]!.push(chunk));
    const close = () => {
      this.#connections.delete(connection);
      for (const pipe of pipes) pipe.discard();
      client.destroy();
      upstream.destroy();
    };
    // Either side ending ends both, as a direct connection would.
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  }

  #pumpAll(): void {
    for (const { pipes } of this.#connections) for (const pipe of pipes) pipe.pump();
  }

  async inject(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case 'partition': {
        const directions: Direction[] = fault.direction === 'to-server' || fault.direction === 'to-client' ? [fault.direction] : ['to-server', 'to-client'];
        const until = performance.now() + fault.ms;
        for (const d of directions) this.#partitionedUntil[d] = Math.max(this.#partitionedUntil[d], until);
        // Held bytes wait in their pipes, which wake when the partition ends.
        this.#pumpAll();
        return;
      }
      case 'drop':
        for (const { client, upstream } of [...this.#connections]) {
          client.resetAndDestroy();
          upstream.resetAndDestroy();
        }
        return;
      case 'latency':
        this.latencyMs = fault.ms;
        return;
      default:
        throw new Error(`a TCP proxy cannot ${fault.kind} a server; use processFaults for that`);
    }
  }

  async heal(): Promise<void> {
    this.latencyMs = 0;
    this.#partitionedUntil['to-server'] = this.#partitionedUntil['to-client'] = 0;
    this.#pumpAll();
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const { client, upstream } of this.#connections) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
