/**
 * What a target hands the `faults` clause: a driver that can hurt its backend, and which faults
 * to fire. The suite knows nothing about servers: drivers live with whoever runs them (this
 * package's are in servers/faults/, exported from session-store-conformance/servers).
 */

/** A named fault. kill lasts until heal; partition and latency end after `ms` (or at heal). */
export type Fault =
  /** The backend process dies (SIGKILL), as a crash would; heal starts it again. */
  | { kind: 'kill' }
  /** The backend dies and comes back at once, on the same port with the same data dir. */
  | { kind: 'restart' }
  /** Every open connection is reset (RST); new ones get through. */
  | { kind: 'drop' }
  /** No byte gets through in `direction` (default both) for `ms`; held bytes arrive after, as TCP retransmits them. */
  | { kind: 'partition'; ms: number; direction?: 'both' | 'to-server' | 'to-client' }
  /** Every byte arrives `ms` late, for the rest of the run or until heal. */
  | { kind: 'latency'; ms: number };

export interface FaultDriver {
  /** Starts `fault` and resolves once it is in effect; rejects for a fault the driver cannot cause. */
  inject(fault: Fault): Promise<void>;
  /** Ends every fault in effect (killed servers started again, partitions and latency lifted) and resolves once the backend serves; with none in effect, does nothing. */
  heal(): Promise<void>;
}

export interface FaultPlan {
  driver: FaultDriver;
  /** Fired one after another at seeded times in the first half of the run. */
  faults: Fault[];
  /** How long the clients run; the driver heals at 70% of it. Default 3,000 ms. */
  durationMs?: number;
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return `partition(${fault.ms} ms${fault.direction && fault.direction !== 'both' ? `, ${fault.direction}` : ''})`;
    case 'latency':
      return `latency(${fault.ms} ms)`;
    default:
      return fault.kind;
  }
}

const KINDS = new Set(['kill', 'restart', 'drop', 'partition', 'latency']);

/** Checks a target's `faults` field, with messages that say what is wrong. */
export function resolveFaultPlan(value: unknown, fail: (what: string) => never): FaultPlan | undefined {
  if (value === undefined) return undefined;
  const plan = value as FaultPlan;
  if (typeof plan !== 'object' || plan === null || typeof plan.driver?.inject !== 'function' || typeof plan.driver?.heal !== 'function') {
    fail('faults must be { driver: { inject(fault), heal() }, faults: [...] }');
  }
  if (!Array.isArray(plan.faults) || plan.faults.length === 0) fail('faults.faults must name at least one fault, e.g. [{ kind: "restart" }]');
  for (const fault of plan.faults) {
    if (!KINDS.has(fault?.kind)) fail(`unknown fault ${JSON.stringify(fault)}; faults: ${[...KINDS].join(', ')}`);
    if ((fault.kind === 'partition' || fault.kind === 'latency') && !(fault.ms > 0)) fail(`${fault.kind} needs a positive ms, got ${String(fault.ms)}`);
  }
  if (plan.durationMs !== undefined && !(plan.durationMs >= 500)) fail(`faults.durationMs must be at least 500, got ${String(plan.durationMs)}`);
  return plan;
}
