export * from './core.js';
export { runConformance } from '../suite/vitest.js';
export type { Fault, FaultDriver, FaultPlan } from '../suite/faults/plan.js';
