import type { Clock, TimerId } from "../clock.ts";

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A manually driven {@linkcode Clock} for tests. Time moves only when the
 * test calls {@linkcode FakeClock.advance}; due callbacks then run in order.
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #pending: Pending[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const id = this.#nextId++;
    this.#pending.push({ id, at: this.#now + Math.max(0, delayMs), fn });
    return id as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    this.#pending = this.#pending.filter((p) => p.id !== (id as unknown as number));
  }

  /** Number of callbacks waiting to run. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Moves time forward by `ms`, running each callback when its time comes and
   * letting promise continuations settle between callbacks.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.#pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#pending = this.#pending.filter((p) => p !== due);
      this.#now = due.at;
      due.fn();
    }
    this.#now = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
