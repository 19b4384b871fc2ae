/**
 * A deliberately simple correct store whose every step is a hook, so each broken store in
 * defects.ts is one small override. These exist only to prove that the suite catches bugs.
 */
import type { Clock, SessionData, SessionStore } from '../../suite/contract.js';
import { assertValidId, assertValidTtl, decodeSession, encodeSession } from '../../stores/session-codec.js';

export interface Entry {
  value: unknown;
  expiresAt: number;
}

export class HookedStore implements SessionStore {
  readonly entries = new Map<string, Entry>();
  constructor(readonly clock: Clock) {}

  key(id: string): string {
    return id;
  }
  encode(data: SessionData): unknown {
    return encodeSession(data);
  }
  decode(value: unknown): SessionData {
    return decodeSession(value as string);
  }
  isLive(entry: Entry, now: number): boolean {
    return now < entry.expiresAt;
  }
  validate(id: unknown, ttlMs?: unknown): void {
    assertValidId(id);
    if (ttlMs !== undefined || arguments.length > 1) assertValidTtl(ttlMs);
  }
  live(id: string): Entry | undefined {
    const entry = this.entries.get(this.key(id));
    return entry && this.isLive(entry, this.clock.now()) ? entry : undefined;
  }
  write(id: string, data: SessionData, ttlMs: number): void {
    this.entries.set(this.key(id), { value: this.encode(data), expiresAt: this.clock.now() + ttlMs });
  }

  async get(id: string): Promise<SessionData | undefined> {
    this.validate(id);
    const entry = this.live(id);
    return entry && this.decode(entry.value);
  }
  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    this.validate(id, ttlMs);
    this.write(id, data, ttlMs);
  }
  async pop(id: string): Promise<SessionData | undefined> {
    this.validate(id);
    const entry = this.live(id);
    this.entries.delete(this.key(id));
    return entry && this.decode(entry.value);
  }
  async touch(id: string, ttlMs: number): Promise<boolean> {
    this.validate(id, ttlMs);
    const entry = this.live(id);
    if (entry) entry.expiresAt = this.clock.now() + ttlMs;
    return entry !== undefined;
  }
}
