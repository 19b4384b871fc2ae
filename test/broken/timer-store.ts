/**
 * The tutorial store as a careful first-time author writes it: a Map, one setTimeout per session
 * that is cleared on every set, touch and pop, and a close() that clears them all. Its timers are
 * right, but they are its only expiry: while the app holds the event loop, a session outlives its
 * deadline. It also aliases (no copies), accepts anything, and hands 2^31 ms to setTimeout.
 */
import type { SessionData, SessionStore } from '../../suite/contract.js';

export class TimerStore implements SessionStore {
  protected readonly sessions = new Map<string, SessionData>();
  readonly #timers = new Map<string, NodeJS.Timeout>();

  protected expireIn(id: string, ttlMs: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.set(id, setTimeout(() => this.#forget(id), ttlMs));
  }

  #forget(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.sessions.delete(id);
  }

  async get(id: string): Promise<SessionData | undefined> {
    return this.sessions.get(id);
  }
  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    this.sessions.set(id, data);
    this.expireIn(id, ttlMs);
  }
  async pop(id: string): Promise<SessionData | undefined> {
    const data = this.sessions.get(id);
    this.#forget(id);
    return data;
  }
  async touch(id: string, ttlMs: number): Promise<boolean> {
    if (!this.sessions.has(id)) return false;
    this.expireIn(id, ttlMs);
    return true;
  }
  async close(): Promise<void> {
    for (const timer of this.#timers.values()) clearTimeout(timer);
  }
}
