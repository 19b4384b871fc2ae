/**
 * The one model of a deadline that the timed clauses and the history checker share: a write takes
 * effect somewhere inside its call, and expiry may fire up to `slackMs` early or late (the target's
 * TTL resolution), so a deadline is only known within a window.
 */

/** When an operation started and finished, in milliseconds on one clock. */
export interface Stamp {
  call: number;
  ret: number;
}

export interface DeadlineWindow {
  /** Before this the session is certainly live. */
  earliest: number;
  /** From this on it is certainly expired. */
  latest: number;
}

/** Where the deadline of a write stamped `write` with `ttlMs` can lie. */
export function deadlineWindow(write: Stamp, ttlMs: number, slackMs: number): DeadlineWindow {
  return { earliest: write.call + ttlMs - slackMs, latest: write.ret + ttlMs + slackMs };
}
