import type { EdgeHealth } from "@kiosk/contracts";
import type { ReactiveController, ReactiveControllerHost } from "lit";

/** Options of {@linkcode HealthController}. */
export interface HealthControllerOptions {
  readonly fetchHealth: (signal: AbortSignal) => Promise<EdgeHealth>;
  /** Time between polls in milliseconds. */
  readonly intervalMs: number;
  /** Called with every report read, before the host re-renders. */
  readonly onHealth?: (health: EdgeHealth) => void;
}

/**
 * Polls the kiosk's health while its host is connected and asks the host to
 * re-render on every change. `reachable` is false once a poll fails, and
 * true again with the first report after the edge server comes back (a
 * restart): the host shows the current screen again without a reload.
 */
export class HealthController implements ReactiveController {
  health: EdgeHealth | undefined;
  reachable = true;
  readonly #host: ReactiveControllerHost;
  readonly #options: HealthControllerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | undefined;

  constructor(host: ReactiveControllerHost, options: HealthControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#abort = new AbortController();
    void this.#poll(this.#abort.signal);
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    clearTimeout(this.#timer);
  }

  async #poll(signal: AbortSignal): Promise<void> {
    try {
      this.health = await this.#options.fetchHealth(signal);
      this.reachable = true;
      this.#options.onHealth?.(this.health);
    } catch {
      if (signal.aborted) return;
      this.reachable = false;
    }
    this.#host.requestUpdate();
    this.#timer = setTimeout(() => void this.#poll(signal), this.#options.intervalMs);
  }
}
