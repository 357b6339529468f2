/**
 * A one-place mailbox that keeps only the newest value. The camera writes
 * every frame into it; consumers read the newest one when they are ready.
 * Nothing queues, so a consumer slower than the camera never sees an old
 * frame and memory stays at one frame.
 */

/** Running totals of a {@linkcode LatestFrameSlot}. */
export interface LatestFrameSlotCounters {
  /** Values written. */
  readonly put: number;
  /** Values overwritten before anyone read them with `latest()` or `next()`. */
  readonly replaced: number;
  /** `next()` calls waiting now. */
  readonly waiting: number;
}

interface Waiter<T> {
  readonly after: number;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;
  readonly cleanup: () => void;
}

/**
 * Holds the newest of a sequence of values numbered by an increasing `seq`.
 *
 * @example
 * ```ts
 * const slot = new LatestFrameSlot<CameraFrame>();
 * camera.onFrame((frame) => slot.put(frame));
 * const frame = await slot.next(previous?.seq, signal); // newest frame after `previous`
 * ```
 */
export class LatestFrameSlot<T extends { readonly seq: number }> {
  #value: T | undefined;
  #read = false;
  #closedWith: { reason: unknown } | undefined;
  readonly #waiters = new Set<Waiter<T>>();
  #put = 0;
  #replaced = 0;

  /** Snapshot of the running totals. */
  get counters(): LatestFrameSlotCounters {
    return { put: this.#put, replaced: this.#replaced, waiting: this.#waiters.size };
  }

  /** True after {@linkcode LatestFrameSlot.close} until {@linkcode LatestFrameSlot.open}. */
  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Replaces the held value and wakes every `next()` waiting for something newer. */
  put(value: T): void {
    if (this.#value !== undefined && !this.#read) this.#replaced++;
    this.#value = value;
    this.#read = false;
    this.#put++;
    for (const waiter of [...this.#waiters]) {
      if (value.seq > waiter.after) {
        this.#read = true;
        waiter.cleanup();
        waiter.resolve(value);
      }
    }
  }

  /** The newest value without waiting, or `undefined` before the first. */
  latest(): T | undefined {
    if (this.#value !== undefined) this.#read = true;
    return this.#value;
  }

  /**
   * Resolves with the newest value whose `seq` is greater than `after`
   * (default: the held value's `seq`, so it waits for a new one): at once if
   * the held value qualifies, else when one is put.
   *
   * @throws the close reason when the slot is closed and holds nothing newer.
   * @throws the signal's reason when `signal` aborts first.
   */
  next(after?: number, signal?: AbortSignal): Promise<T> {
    const threshold = after ?? this.#value?.seq ?? Number.NEGATIVE_INFINITY;
    const held = this.#value;
    if (held !== undefined && held.seq > threshold) {
      this.#read = true;
      return Promise.resolve(held);
    }
    if (this.#closedWith !== undefined) return Promise.reject(this.#closedWith.reason);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        waiter.cleanup();
        reject(signal?.reason);
      };
      const waiter: Waiter<T> = {
        after: threshold,
        resolve,
        reject,
        cleanup: () => {
          this.#waiters.delete(waiter);
          signal?.removeEventListener("abort", onAbort);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Rejects every waiting `next()` with `reason`, and every later one that
   * finds nothing newer, until {@linkcode LatestFrameSlot.open}. The held
   * value stays readable.
   */
  close(reason: unknown): void {
    this.#closedWith = { reason };
    for (const waiter of [...this.#waiters]) {
      waiter.cleanup();
      waiter.reject(reason);
    }
  }

  /** Lets `next()` wait again after a {@linkcode LatestFrameSlot.close}. */
  open(): void {
    this.#closedWith = undefined;
  }
}
