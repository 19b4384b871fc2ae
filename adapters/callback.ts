/**
 * Calls a connect-style store method the way express-session does, with a callback, and settles
 * with whatever the callback receives. Stores written with `async` methods (connect-redis) also
 * return a promise: its rejection is surfaced rather than left unhandled, so a store that throws
 * before calling back fails the call instead of hanging it. A second call of the callback is
 * ignored, as express-session's own handlers would be long gone by then.
 */
export function viaCallback<T>(call: (callback: (error?: unknown, value?: T) => void) => unknown): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const returned = call((error, value) => (error ? reject(error) : resolve(value)));
    if (typeof (returned as PromiseLike<unknown> | null | undefined)?.then === 'function') {
      (returned as PromiseLike<unknown>).then(undefined, reject);
    }
  });
}
