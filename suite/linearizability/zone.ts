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

/** Matrix cell (i, j) bounds x_i − x_j by `value`, strictly when `strict`. */
export class Zone {
  private constructor(
    private readonly value: Float64Array,
    private readonly strict: Uint8Array,
  ) {}

  /** Before any operation: nothing is known. */
  static start(): Zone {
    const value = new Float64Array(N * N).fill(Infinity);
    for (let i = 0; i < N; i++) value[i * N + i] = 0;
    return new Zone(value, new Uint8Array(N * N));
  }

  clone(): Zone {
    return new Zone(this.value.slice(), this.strict.slice());
  }

  /** Adds x_i − x_j ≤ bound (< bound when strict). False when no instants are left. */
  constrain(i: number, j: number, bound: number, strict: boolean): boolean {
    const { value: m, strict: s } = this;
    const back = m[j * N + i]! + bound;
    if (back < 0 || (back === 0 && (strict || s[j * N + i] === 1))) return false;
    if (!(bound < m[i * N + j]! || (bound === m[i * N + j] && strict && s[i * N + j] === 0))) return true;
    // The matrix was closed: paths through the new edge are the only ones that can get shorter.
    for (let a = 0; a < N; a++) {
      const ai = m[a * N + i]!;
      if (ai === Infinity) continue;
      for (let b = 0; b < N; b++) {
        const jb = m[j * N + b]!;
        const v = ai + bound + jb;
        const st = strict || s[a * N + i] === 1 || s[j * N + b] === 1;
        const k = a * N + b;
        if (v < m[k]! || (v === m[k] && st && s[k] === 0)) {
          m[k] = v;
          s[k] = st ? 1 : 0;
        }
      }
    }
    return true;
  }

  /** Forgets everything about clock i (projection; the rest stays closed). */
  free(i: number): void {
    for (let k = 0; k < N; k++) {
      if (k === i) continue;
      this.value[i * N + k] = Infinity;
      this.value[k * N + i] = Infinity;
      this.strict[i * N + k] = 0;
      this.strict[k * N + i] = 0;
    }
  }

  /**
   * The next operation takes effect at an instant inside [call, ret], no earlier than the floor:
   * returns the zone with F moved to that instant, or null when no such instant exists.
   */
  advance(call: number, ret: number): Zone | null {
    const z = this.clone();
    if (!z.constrain(ZERO, NEXT, -call, false) || !z.constrain(NEXT, ZERO, ret, false) || !z.constrain(FLOOR, NEXT, 0, false)) return null;
    z.free(FLOOR);
    for (let k = 0; k < N; k++) {
      z.value[FLOOR * N + k] = z.value[NEXT * N + k]!;
      z.value[k * N + FLOOR] = z.value[k * N + NEXT]!;
      z.strict[FLOOR * N + k] = z.strict[NEXT * N + k]!;
      z.strict[k * N + FLOOR] = z.strict[k * N + NEXT]!;
    }
    z.value[FLOOR * N + FLOOR] = 0;
    z.strict[FLOOR * N + FLOOR] = 0;
    z.free(NEXT);
    return z;
  }

  /**
   * Drops the upper bounds of F. Every later step starts by placing an instant at or after F, and
   * for that only F's lower bounds matter (the others are already folded into D's bounds), so
   * zones that differ only there have the same futures and share a memo entry.
   */
  normalize(): this {
    for (const k of [ZERO, DEADLINE]) {
      this.value[FLOOR * N + k] = Infinity;
      this.strict[FLOOR * N + k] = 0;
    }
    return this;
  }

  /** Every point of this zone is in `other` (both closed). */
  within(other: Zone): boolean {
    for (let k = 0; k < N * N; k++) {
      const a = this.value[k]!;
      const b = other.value[k]!;
      if (a > b || (a === b && this.strict[k] === 0 && other.strict[k] === 1)) return false;
    }
    return true;
  }

  key(): string {
    let key = '';
    for (const k of [ZERO * N + FLOOR, ZERO * N + DEADLINE, DEADLINE * N + ZERO, DEADLINE * N + FLOOR]) {
      const v = this.value[k]!;
      key += v === Infinity ? '∞,' : `${v}${this.strict[k] ? '<' : ''},`;
    }
    return key;
  }
}
