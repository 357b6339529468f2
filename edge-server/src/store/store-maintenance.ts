import { STORAGE_LEVELS, type Clock, type Logger, type Service, type TimerId } from "@kiosk/contracts";
import type { DiskBudget, DiskStatus } from "./disk-budget.ts";
import type { KioskStore } from "./kiosk-store.ts";

/** Dependencies and settings of {@linkcode StoreMaintenance}. */
export interface StoreMaintenanceDeps {
  readonly store: KioskStore;
  readonly disk: DiskBudget;
  readonly clock: Clock;
  readonly log: Logger;
  /** Time between runs, in milliseconds. */
  readonly intervalMs: number;
  /** How long an acknowledged record keeps its personal data, in milliseconds. */
  readonly retentionMs: number;
  /** At the hard watermark, purge acknowledged personal data before its retention ends. */
  readonly purgeAckedWhenFull: boolean;
}

/**
 * Keeps the store within its retention and budget: at start and every
 * `intervalMs` it purges personal data of acknowledged records past
 * retention, re-measures the disk (so the kiosk returns to service by itself
 * once space is back), and compacts the file after a purge.
 */
export class StoreMaintenance implements Service {
  readonly name = "store-maintenance";
  readonly #deps: StoreMaintenanceDeps;
  #timer: TimerId | undefined;
  #running = false;

  constructor(deps: StoreMaintenanceDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One maintenance run; returns the storage status after it. */
  runOnce(): DiskStatus {
    const { store, disk, clock, log } = this.#deps;
    const now = clock.now();
    let purged = store.purgeAcked(now - this.#deps.retentionMs);
    let status = disk.check();
    if (status.level === STORAGE_LEVELS.hard && this.#deps.purgeAckedWhenFull) {
      // Acknowledged data is safe at central; refusing applicants to keep a local copy would be the worse trade.
      const early = store.purgeAcked(now);
      if (early > 0) log.warn("storage full: purged personal data of acknowledged results before their retention ended", { records: early });
      purged += early;
    }
    if (purged > 0 || status.level !== STORAGE_LEVELS.ok) {
      store.compact();
      status = disk.check();
    }
    return status;
  }

  #tick(): void {
    if (!this.#running) return;
    try {
      this.runOnce();
    } catch (error) {
      this.#deps.log.error("store maintenance failed", { error });
    }
    this.#timer = this.#deps.clock.setTimeout(() => this.#tick(), this.#deps.intervalMs);
  }
}
