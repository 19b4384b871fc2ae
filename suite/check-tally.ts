import type { Json } from './contract.js';

/** What a timed check asks of a read: was the session surely still live, or surely expired. */
export type CheckKind = 'live' | 'expired';

const KINDS: readonly CheckKind[] = ['live', 'expired'];

const WHEN: Record<CheckKind, string> = { live: 'before the deadline', expired: 'after the deadline' };

/**
 * How many timed checks a run planned and how many it could judge. On real time a read that
 * lands inside the uncertainty window around a deadline proves nothing; a pass built on too few
 * judged checks would be a pass that tested nothing.
 */
export class CheckTally {
  readonly #planned: Record<CheckKind, number> = { live: 0, expired: 0 };
  readonly #judged: Record<CheckKind, number> = { live: 0, expired: 0 };

  /** Counts one planned check; returns whether it could be judged. */
  count(kind: CheckKind, judged: boolean): boolean {
    this.#planned[kind]++;
    if (judged) this.#judged[kind]++;
    return judged;
  }

  /** The kinds of check of which fewer than `minShare` could be judged. */
  shortfalls(minShare: number): CheckKind[] {
    return KINDS.filter((k) => this.#planned[k] > 0 && this.#judged[k] < minShare * this.#planned[k]);
  }

  /** "3 of 12 expiry checks before the deadline judged", for each kind in `kinds`. */
  describe(what: string, kinds: readonly CheckKind[]): string {
    return kinds.map((k) => `${this.#judged[k]} of ${this.#planned[k]} ${what} checks ${WHEN[k]} judged`).join(', ');
  }

  toJson(): Record<CheckKind, { planned: number; judged: number; unjudged: number }> & Record<string, Json> {
    const of = (k: CheckKind) => ({ planned: this.#planned[k], judged: this.#judged[k], unjudged: this.#planned[k] - this.#judged[k] });
    return { live: of('live'), expired: of('expired') };
  }
}
