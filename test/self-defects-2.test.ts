/** Shard 2 of the self-check: see test/support/self-check.ts. */
import { caughtByExactlyTheClausesTheyBreak } from './support/self-check.js';

caughtByExactlyTheClausesTheyBreak(1);
