/** Everything but the vitest binding: usable from any runner, or none. */
export { CLAUSE_IDS, DEFAULT_MAX_DATA_BYTES, systemClock } from './contract.js';
export type { ClauseId, ClauseLevel, Clock, IdAlphabet, IdDeclaration, Json, SessionData, SessionStore, StoreDeclarations } from './contract.js';
export { ManualClock } from './clock.js';
export { clauses } from './clauses/index.js';
export type { Capabilities, Clause } from './clause.js';
export { checkConformance, ConformanceRun, formatFailure } from './run.js';
export type { Cause, ClauseResult, ClauseStatus, ConformanceReport } from './run.js';
export type { LoopDelayCauses } from './loop-watch.js';
export { renderMarkdown, writeReport } from './report.js';
export { renderJUnit } from './junit.js';
export type { ConformanceOptions, ConformanceTarget, StoreFactory } from './target.js';
export * from '../adapters/index.js';
