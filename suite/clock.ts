import type { Clock } from './contract.js';

/** A clock that moves only when told to: expiry is tested at exact boundaries with zero sleeping. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`a clock only moves forward; cannot advance by ${ms}`);
    this.#now += ms;
  }

  /** Moves to `time`; never backwards. */
  advanceTo(time: number): void {
    this.advance(Math.max(0, time - this.#now));
  }
}
