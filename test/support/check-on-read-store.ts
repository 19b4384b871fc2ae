/**
 * The timer store with the fix expiry-while-busy asks for: each read also checks the deadline, so
 * a session is gone on time even when its timer could not fire. Its other bugs are kept, so that
 * its verdict differs from the timer store's in that one clause only.
 */
import type { SessionData } from '../../suite/contract.js';
import { TimerStore } from '../broken/timer-store.js';

export class CheckOnReadStore extends TimerStore {
  readonly #deadlines = new Map<string, number>();

  protected override expireIn(id: string, ttlMs: number): void {
    super.expireIn(id, ttlMs);
    this.#deadlines.set(id, Date.now() + ttlMs);
  }

  #live(id: string): boolean {
    if (Date.now() < (this.#deadlines.get(id) ?? -Infinity)) return this.sessions.has(id);
    this.sessions.delete(id);
    return false;
  }

  override async get(id: string): Promise<SessionData | undefined> {
    return this.#live(id) ? super.get(id) : undefined;
  }
  override async pop(id: string): Promise<SessionData | undefined> {
    return this.#live(id) ? super.pop(id) : undefined;
  }
  override async touch(id: string, ttlMs: number): Promise<boolean> {
    return this.#live(id) && super.touch(id, ttlMs);
  }
}
