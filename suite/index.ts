export * from './core.js';
export { runConformance } from './vitest.js';
export type { Fault, FaultDriver, FaultPlan } from './faults/plan.js';
