/**
 * How stores word their rejections. Stores that validate correctly but name the arguments as
 * real store authors do (sid, maxAge, payload…) must pass `bad-input`; stores that reject with
 * values that explain nothing must still get failures that say what happened.
 */
import type { Clock, SessionData } from '../../suite/contract.js';
import type { StoreFactory } from '../../entry/index.js';
import { assertValidId, assertValidTtl } from '../../stores/session-codec.js';
import { HookedStore } from './base.js';

export interface Words {
  id: string;
  ttl: string;
  data: string;
}

/** A correct store whose messages call the id, the TTL and the data by `words`. */
export class PhrasedStore extends HookedStore {
  constructor(clock: Clock, readonly words: Words) {
    super(clock);
  }
  override validate(id: unknown, ...ttl: unknown[]): void {
    try {
      assertValidId(id);
    } catch {
      throw new TypeError(`${this.words.id} must be a non-empty string`);
    }
    if (ttl.length === 0) return;
    try {
      assertValidTtl(ttl[0]);
    } catch {
      throw new RangeError(`${this.words.ttl} must be a positive number of milliseconds`);
    }
  }
  override encode(data: SessionData): unknown {
    try {
      return super.encode(data);
    } catch (error) {
      throw new (error instanceof RangeError ? RangeError : TypeError)(`${this.words.data} cannot be stored as it is`);
    }
  }
}

export const phrased = (words: Words): StoreFactory => ({
  name: `says ${words.id} / ${words.ttl} / ${words.data}`,
  clock: 'injected',
  open: ({ clock }) => new PhrasedStore(clock, words),
});

/** A store that rejects with `reason`, whatever it is: every call, or only calls with a bad id or TTL. */
export const rejectingWith = (reason: unknown, when: 'always' | 'on bad input'): StoreFactory => ({
  name: `rejects ${when}`,
  clock: 'injected',
  open: ({ clock }) =>
    new (class extends HookedStore {
      override validate(id: unknown, ...ttl: unknown[]): void {
        if (when === 'always') throw reason;
        try {
          super.validate(id, ...ttl);
        } catch {
          throw reason;
        }
      }
    })(clock),
});
