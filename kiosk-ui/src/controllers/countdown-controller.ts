import type { ReactiveController, ReactiveControllerHost } from "lit";
import { msToNextTick, secondsLeftAt } from "./countdown.ts";

/** The countdown of a view: whole seconds left, and whether it is in its warning phase. */
export interface Countdown {
  readonly secondsLeft: number;
  readonly warning: boolean;
}

/**
 * Ticks the view's idle countdown down locally between the edge server's
 * pushes, re-rendering the host every second while a countdown shows.
 * Call {@linkcode show} with each view's countdown (from `willUpdate`).
 */
export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #now: () => number;
  #shown: Countdown | null = null;
  #receivedAtMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `now` reads the clock in milliseconds. */
  constructor(host: ReactiveControllerHost, now: () => number = Date.now) {
    this.#host = host;
    this.#now = now;
    host.addController(this);
  }

  /** The countdown now, or null when the view shows none. */
  get current(): Countdown | null {
    if (!this.#shown) return null;
    return { secondsLeft: secondsLeftAt(this.#shown.secondsLeft, this.#receivedAtMs, this.#now()), warning: this.#shown.warning };
  }

  /** Follows `countdown` (a new object restarts the local count; the same object again changes nothing). */
  show(countdown: Countdown | null): void {
    if (countdown === this.#shown) return;
    this.#shown = countdown;
    this.#receivedAtMs = this.#now();
    this.#schedule();
  }

  hostConnected(): void {
    this.#schedule();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (!this.#shown) return;
    this.#timer = setTimeout(() => {
      this.#host.requestUpdate();
      this.#schedule();
    }, msToNextTick(this.#receivedAtMs, this.#now()));
  }
}
