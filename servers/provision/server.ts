/** What provisioning hands out, whichever provider it came from. */

export type Backend = 'redis' | 'memcached' | 'redis-cluster' | 'postgres' | 'mysql';
/** The backends served by one process. */
export type SingleProcessBackend = Exclude<Backend, 'redis-cluster'>;

export interface ProvisionedServer {
  backend: Backend;
  url: string;
  source: 'env' | 'binary' | 'container';
  /** Stops a server this module started; a no-op for one named by the environment. */
  stop(): Promise<void>;
}

export interface LocalServer extends ProvisionedServer {
  backend: SingleProcessBackend;
  source: 'binary';
  port: number;
  /** The temp dir holding its data (SQL servers), which `stop()` removes. */
  readonly dir?: string;
  /** The current process; a restart changes it. */
  readonly pid: number;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again with the same arguments on the same port (and so the same data dir), and waits until it serves. */
  restart(): Promise<void>;
}

/** A Redis Cluster of local processes, all in one temp dir that `stop()` removes. */
export interface LocalCluster extends ProvisionedServer {
  backend: 'redis-cluster';
  source: 'binary';
  /** Every node, masters and replicas, in the order given to `redis-cli --cluster create`. */
  nodes: LocalServer[];
  /** The temp dir holding each node's nodes.conf (and data, with persistence on). */
  dir: string;
}

// Fields assigned by hand, not as parameter properties: scripts/servers.mjs runs this folder
// through Node's type stripping, which takes only syntax it can erase.
export class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';
  readonly backend: Backend;
  readonly required: boolean;
  constructor(message: string, backend: Backend, required: boolean) {
    super(message);
    this.backend = backend;
    this.required = required;
  }
}

export function isServerRequired(backend: Backend | 'browser', env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI === 'true' || env.CI === '1') return true;
  return (env.SESSION_CONFORMANCE_REQUIRE ?? '').split(',').map((s) => s.trim()).includes(backend);
}
