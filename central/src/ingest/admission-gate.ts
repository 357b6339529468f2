/**
 * A bound on concurrent work: admission control for ingest. When every slot
 * is taken, new work is refused at once (the caller answers 429 with
 * `Retry-After`) rather than queued, so a herd of kiosks returning after an
 * outage cannot pile up connections and memory (sync.md §4.6).
 */
export class AdmissionGate {
  readonly #capacity: number;
  #inUse = 0;

  /** @throws {RangeError} when `capacity` is not a positive integer. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Invalid admission capacity "${capacity}": expected a positive integer`);
    this.#capacity = capacity;
  }

  /** Slots currently taken. */
  get inUse(): number {
    return this.#inUse;
  }

  /**
   * Takes a slot if one is free. Returns the function that gives it back
   * (calling it more than once has no further effect), or `undefined`.
   */
  tryEnter(): (() => void) | undefined {
    if (this.#inUse >= this.#capacity) return undefined;
    this.#inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse--;
    };
  }
}
