/**
 * What a load generator runs against a store: the planned operations of a scenario and the ids
 * and payloads they name, built the same way in the main thread and in every worker thread.
 */
import type { SessionData, SessionStore } from '../suite/contract.js';
import type { RunContext } from './measure.js';
import { generateOps, sessionPayload, WORKLOADS, type WorkloadOptions } from './workloads.js';

/** A workload at one payload size, with what generates its operations; plain data, so it can cross threads. */
export interface ScenarioSpec extends Omit<WorkloadOptions, 'length'> {
  workload: string;
  payloadBytes: number;
}

/** Planned operations per workload; load generators cycle through them. */
export const OPS_LENGTH = 50_000;

/** Builds contexts, caching each workload's operations and each size's payloads. */
export function contextFactory(prefix: string): (store: SessionStore, scenario: ScenarioSpec) => RunContext {
  const opsCache = new Map<string, RunContext['ops']>();
  const payloadCache = new Map<number, SessionData[]>();
  return (store, scenario) => {
    const key = JSON.stringify({ ...scenario, payloadBytes: undefined });
    let ops = opsCache.get(key);
    if (!ops) {
      const workload = WORKLOADS.find((w) => w.name === scenario.workload);
      if (!workload) throw new Error(`unknown workload ${scenario.workload}`);
      const { sessions, popularity, skew, seed } = scenario;
      opsCache.set(key, (ops = generateOps(workload, { sessions, popularity, skew, seed, length: OPS_LENGTH })));
    }
    let payloads = payloadCache.get(scenario.payloadBytes);
    if (!payloads) payloadCache.set(scenario.payloadBytes, (payloads = Array.from({ length: Math.min(scenario.sessions, 1000) }, (_, i) => sessionPayload(scenario.payloadBytes, i))));
    return {
      store,
      ops,
      idOf: (i) => `${prefix}${i}`,
      missingIdOf: (i) => `${prefix}missing-${i}`,
      payloadOf: (i) => payloads[i % payloads.length]!,
    };
  };
}
