/**
 * The one vocabulary of what a history checker finds, for the concurrency clauses and the faults
 * clause alike: names a user reads in a failure, a report and the HTML drawing.
 */

/** Each anomaly and what it means for the app's users, the most specific first. */
export const ANOMALIES = {
  'value never written': 'a read returned a session no write stored (a store that adds keys of its own, or mixes sessions up)',
  'double pop': 'two pops took the same session: a one-time token or a logout counted twice',
  'resurrection after pop': 'a popped session came back: a logout undone',
  'resurrection after expiry': 'an expired session came back',
  'lost write': 'an acknowledged write is gone: the user is logged out, or their change is lost',
  'flip-flop': 'a session read as absent, then present again with no write in between',
  'stale read': 'a read returned an older value after a newer write had completed: a change rolled back',
  'not linearizable': 'no order of the calls explains what they returned, and no simpler pattern names it',
} as const;

export type Anomaly = keyof typeof ANOMALIES;

/** Every anomaly name, the most specific first. */
export const ANOMALY_NAMES = Object.keys(ANOMALIES) as Anomaly[];
