/** Everything but the vitest binding: usable from any runner, or none. */
export { CLAUSE_IDS, DEFAULT_MAX_DATA_BYTES, systemClock } from '../suite/contract.js';
export type { ClauseId, ClauseLevel, Clock, IdAlphabet, IdDeclaration, Json, SessionData, SessionStore, StoreDeclarations } from '../suite/contract.js';
export { ManualClock } from '../suite/clock.js';
export { clauses } from '../suite/clauses/index.js';
export type { Clause } from '../suite/clause.js';
export { checkConformance, ConformanceRun } from '../suite/run.js';
export { formatClauseResult } from '../suite/format.js';
export type { Capabilities, Cause, ClauseResult, ClauseStatus, ConformanceReport } from '../suite/result.js';
export type { LoopDelayCauses } from '../suite/loop-watch.js';
export { renderMarkdown, writeReport } from '../suite/report.js';
export { renderJUnit } from '../suite/junit.js';
export type { ConformanceTarget, StoreFactory } from '../suite/target.js';
export type { ConformanceOptions } from '../suite/options.js';
// The adapters have their own subpath too; the root and /core keep them for a store author's one import.
export * from '../adapters/index.js';
