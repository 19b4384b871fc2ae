/** Shard 3 of the self-check: see test/support/self-check.ts. */
import { caughtByExactlyTheClausesTheyBreak } from './support/self-check.js';

caughtByExactlyTheClausesTheyBreak(2);
