/**
 * The session store most tutorials write: a Map, a setTimeout per set that deletes the id, no
 * copies and no validation. Its real bugs (an old timer deleting a replaced or touched session,
 * aliasing, anything accepted) are what a first-time store author meets first.
 */
import type { SessionData, SessionStore } from '../../suite/contract.js';

export class TutorialStore implements SessionStore {
  readonly #sessions = new Map<string, SessionData>();
  readonly #timers = new Set<NodeJS.Timeout>();

  #expireIn(id: string, ttlMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#sessions.delete(id);
    }, ttlMs);
    this.#timers.add(timer);
  }

  async get(id: string): Promise<SessionData | undefined> {
    return this.#sessions.get(id);
  }
  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    this.#sessions.set(id, data);
    this.#expireIn(id, ttlMs);
  }
  async pop(id: string): Promise<SessionData | undefined> {
    const data = this.#sessions.get(id);
    this.#sessions.delete(id);
    return data;
  }
  async touch(id: string, ttlMs: number): Promise<boolean> {
    if (!this.#sessions.has(id)) return false;
    this.#expireIn(id, ttlMs);
    return true;
  }
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
  }
}
