/** The table of contents of the contract: one module per clause; docs/contract.md and the README list them in this order (npm run docs). */
import type { Clause } from '../clause.js';
import { absent } from './absent.js';
import { atomicPop } from './atomic-pop.js';
import { badInput } from './bad-input.js';
import { concurrency } from './concurrency.js';
import { copySemantics } from './copy-semantics.js';
import { crossInstance } from './cross-instance.js';
import { expiry } from './expiry.js';
import { expiryWhileBusy } from './expiry-while-busy.js';
import { idIsolation } from './id-isolation.js';
import { interleavings } from './interleavings.js';
import { lostUpdate } from './lost-update.js';
import { model } from './model.js';
import { noResurrection } from './no-resurrection.js';
import { pop } from './pop.js';
import { refusedIds } from './refused-ids.js';
import { replace } from './replace.js';
import { roundTrip } from './round-trip.js';
import { touch } from './touch.js';
import { ttlRange } from './ttl-range.js';
import { update } from './update.js';
import { faults } from '../faults/clause.js';
import { idQuality } from './id-quality.js';

export const clauses: readonly Clause[] = [
  roundTrip, absent, replace, pop, expiry, touch, ttlRange, idIsolation, copySemantics, badInput, refusedIds, model, crossInstance,
  // Concurrency: deterministic interleavings, real concurrency, and the atomicity clauses.
  interleavings, concurrency, atomicPop, noResurrection, update, lostUpdate,
  faults,
  idQuality,
  // Holds the event loop on purpose: runs alone, after the others.
  expiryWhileBusy,
];
