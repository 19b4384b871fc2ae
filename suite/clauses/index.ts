/** The table of contents of the contract: one module per clause, in the order of docs/contract.md. */
import type { Clause } from '../clause.js';
import { absent } from './absent.js';
import { badInput } from './bad-input.js';
import { copySemantics } from './copy-semantics.js';
import { crossInstance } from './cross-instance.js';
import { expiry } from './expiry.js';
import { idIsolation } from './id-isolation.js';
import { model } from './model.js';
import { pop } from './pop.js';
import { replace } from './replace.js';
import { roundTrip } from './round-trip.js';
import { touch } from './touch.js';

export const clauses: readonly Clause[] = [roundTrip, absent, replace, pop, expiry, touch, idIsolation, copySemantics, badInput, model, crossInstance];
