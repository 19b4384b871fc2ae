/**
 * The two horizontal scales of a drawing: `o`, the order of events (each distinct instant one
 * step, as porcupine and Jepsen's timeline lay out a history, so that overlaps show however close
 * in time), and `t`, time itself. Both span the same width, so zoom means the same on either.
 */
export const STEP = 22;

export interface Axis {
  /** Where the plot starts and ends, in pixels before zoom. */
  left: number;
  end: number;
  order(t: number): number;
  time(t: number): number;
  /** Both positions as the script reads them: "x" or "x0 x1" per scale, the start moved `shift` pixels (a label inside a bar). */
  attrs(from: number, to?: number, shift?: number): string;
}

export function axis(instants: number[], left: number, minWidth = 0, orderScale = true): Axis {
  const stamps = [...new Set(instants.filter(Number.isFinite))].sort((a, b) => a - b);
  const first = stamps[0] ?? 0;
  const last = stamps.at(-1) ?? 1;
  const start = left + 10;
  const end = Math.max(start + Math.max(stamps.length - 1, 1) * STEP, left + minWidth);
  const time = (t: number) => start + ((Math.min(t, last + (last - first) * 0.05) - first) / Math.max(last - first, 1e-9)) * (end - start);
  // Between two known instants, proportionally; past the ends, half a step out.
  const order = (t: number) => {
    if (!orderScale) return time(t);
    if (t <= first) return t === first ? start : start - STEP / 2;
    if (t > last) return end + STEP / 2;
    let lo = 0;
    let hi = stamps.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (stamps[mid]! <= t) lo = mid;
      else hi = mid;
    }
    const span = (end - start) / Math.max(stamps.length - 1, 1);
    return start + (lo + (t - stamps[lo]!) / Math.max(stamps[hi]! - stamps[lo]!, 1e-9)) * span;
  };
  const pair = (f: (t: number) => number, from: number, to: number | undefined, shift: number) => `${(f(from) + shift).toFixed(1)}${to === undefined ? '' : ` ${f(to).toFixed(1)}`}`;
  // Without the order scale, only time's positions: a faults run draws thousands of bars, and each byte counts.
  const attrs = (from: number, to?: number, shift = 0) => `${orderScale ? `data-o="${pair(order, from, to, shift)}" ` : ''}data-t="${pair(time, from, to, shift)}"`;
  return { left, end: end + STEP, order, time, attrs };
}
