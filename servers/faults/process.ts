/**
 * Process control of servers this package started, for the `faults` clause: kill (SIGKILL, as a
 * crash) and restart (on the same port, with the same arguments and so the same data dir).
 */
import type { Fault, FaultDriver } from '../../suite/faults/plan.js';
import type { LocalServer } from '../provision/index.js';

/** Faults on every one of `servers` at once (one member of a pool, a master of a cluster, or a lone server). */
export function processFaults(servers: readonly LocalServer[]): FaultDriver {
  const down = new Set<LocalServer>();
  return {
    async inject(fault: Fault) {
      switch (fault.kind) {
        case 'kill':
          await Promise.all(servers.map((server) => server.kill()));
          for (const server of servers) down.add(server);
          return;
        case 'restart':
          await Promise.all(servers.map((server) => server.restart()));
          for (const server of servers) down.delete(server);
          return;
        default:
          throw new Error(`process control cannot ${fault.kind}; put a FaultProxy between store and server for that`);
      }
    },
    async heal() {
      await Promise.all([...down].map((server) => server.restart()));
      down.clear();
    },
  };
}
