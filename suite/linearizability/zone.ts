/**
 * What the search knows about time after a prefix of operations: a zone (a difference-bound
 * matrix, as in timed automata) over the instant F at which the last placed operation took
 * effect and the deadline D of the current value. Every bound is exact, strict or not, so the
 * search accepts a history exactly when some choice of instants explains it.
 */

/** The clocks: the constant 0, the floor F, the deadline D, and the next instant while stepping. */
export const ZERO = 0;
export const FLOOR = 1;
export const DEADLINE = 2;
const NEXT = 3;
const N = 4;

/** Matrix cell (i, j) bounds x_i − x_j by `value`, strictly when bit i·N + j of `strict` is set. */
export class Zone {
  private constructor(
    // A plain array and a bit mask, not typed arrays: a search allocates a few zones per step,
    // and small plain arrays are far cheaper for the garbage collector.
    private readonly value: number[],
    private strict: number,
  ) {}

  /** Before any operation: nothing is known. */
  static start(): Zone {
    const value: number[] = [];
    for (let k = 0; k < N * N; k++) value.push(k % (N + 1) === 0 ? 0 : Infinity);
    return new Zone(value, 0);
  }

  clone(): Zone {
    return new Zone(this.value.slice(), this.strict);
  }

  #isStrict(k: number): boolean {
    return (this.strict & (1 << k)) !== 0;
  }

  #set(k: number, value: number, strict: boolean): void {
    this.value[k] = value;
    this.strict = strict ? this.strict | (1 << k) : this.strict & ~(1 << k);
  }

  /** Adds x_i − x_j ≤ bound (< bound when strict). False when no instants are left. */
  constrain(i: number, j: number, bound: number, strict: boolean): boolean {
    const m = this.value;
    const back = m[j * N + i]! + bound;
    if (back < 0 || (back === 0 && (strict || this.#isStrict(j * N + i)))) return false;
    const ij = i * N + j;
    if (!(bound < m[ij]! || (bound === m[ij] && strict && !this.#isStrict(ij)))) return true;
    // The matrix was closed: paths through the new edge are the only ones that can get shorter.
    for (let a = 0; a < N; a++) {
      const ai = m[a * N + i]!;
      if (ai === Infinity) continue;
      const aiStrict = strict || this.#isStrict(a * N + i);
      for (let b = 0; b < N; b++) {
        const v = ai + bound + m[j * N + b]!;
        const k = a * N + b;
        if (v > m[k]!) continue;
        const st = aiStrict || this.#isStrict(j * N + b);
        if (v < m[k]! || (st && !this.#isStrict(k))) this.#set(k, v, st);
      }
    }
    return true;
  }

  /** Forgets everything about clock i (projection; the rest stays closed). */
  free(i: number): void {
    for (let k = 0; k < N; k++) {
      if (k === i) continue;
      this.#set(i * N + k, Infinity, false);
      this.#set(k * N + i, Infinity, false);
    }
  }

  /**
   * The next operation takes effect at an instant inside [call, ret], no earlier than the floor:
   * returns the zone with F moved to that instant, or null when no such instant exists.
   */
  advance(call: number, ret: number): Zone | null {
    const z = this.clone();
    if (!z.constrain(ZERO, NEXT, -call, false) || !z.constrain(NEXT, ZERO, ret, false) || !z.constrain(FLOOR, NEXT, 0, false)) return null;
    for (let k = 0; k < N; k++) {
      if (k === FLOOR || k === NEXT) continue;
      z.#set(FLOOR * N + k, z.value[NEXT * N + k]!, z.#isStrict(NEXT * N + k));
      z.#set(k * N + FLOOR, z.value[k * N + NEXT]!, z.#isStrict(k * N + NEXT));
    }
    z.free(NEXT);
    return z;
  }

  /**
   * Drops the upper bounds of F. Every later step starts by placing an instant at or after F, and
   * for that only F's lower bounds matter (the others are already folded into D's bounds), so
   * zones that differ only there have the same futures and share a memo entry.
   */
  normalize(): this {
    this.#set(FLOOR * N + ZERO, Infinity, false);
    this.#set(FLOOR * N + DEADLINE, Infinity, false);
    return this;
  }

  /** Every point of this zone is in `other` (both closed). */
  within(other: Zone): boolean {
    for (let k = 0; k < N * N; k++) {
      const a = this.value[k]!;
      const b = other.value[k]!;
      if (a > b || (a === b && !this.#isStrict(k) && other.#isStrict(k))) return false;
    }
    return true;
  }

  key(): string {
    let key = '';
    for (const k of KEY_CELLS) {
      const v = this.value[k]!;
      key += v === Infinity ? '∞,' : `${v}${this.#isStrict(k) ? '<' : ''},`;
    }
    return key;
  }
}

/** The only cells a normalized zone can hold: F's lower bound, D's bounds, and D − F's upper bound. */
const KEY_CELLS = [ZERO * N + FLOOR, ZERO * N + DEADLINE, DEADLINE * N + ZERO, DEADLINE * N + FLOOR];
