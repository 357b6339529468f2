import type { Clock } from "@kiosk/contracts";

/**
 * The kiosk's reading of central's clock: its own clock plus the offset
 * central last reported when it refused a request as expired (as cloud SDKs
 * correct a clock-skew error). Request timestamps are read from it, so a
 * kiosk whose clock is wrong (1970 after a dead RTC battery, a year ahead)
 * still signs requests central takes. One instance is shared by every client
 * that signs requests to central; records never use it.
 */
export class CentralClock {
  readonly #clock: Clock;
  #offsetMs = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Central's time as the kiosk estimates it, in epoch milliseconds. */
  now(): number {
    return this.#clock.now() + this.#offsetMs;
  }

  /** Central's clock minus the kiosk's, in milliseconds (0 until central reports its time). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Takes `centralTimeMs`, central's clock as it reported it just now, as the
   * truth from here on. Returns by how much the estimate moved, in milliseconds.
   */
  correct(centralTimeMs: number): number {
    const before = this.#offsetMs;
    this.#offsetMs = centralTimeMs - this.#clock.now();
    return this.#offsetMs - before;
  }
}
