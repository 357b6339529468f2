import { SOFTWARE_VERSION, type Clock, type EdgeHealth, type FaceEngineHealth } from "@kiosk/contracts";
import { kioskStatus } from "../domain/kiosk-status.ts";
import type { DeviceStatusSource, StorageStatus } from "../ports.ts";
import type { HeartbeatState } from "./heartbeat-sender.ts";

/** Dependencies of {@linkcode HealthReporter}. */
export interface HealthReporterDeps {
  readonly kioskId: string;
  readonly startedAtMs: number;
  readonly clock: Clock;
  readonly devices: DeviceStatusSource;
  readonly centralUrl: string;
  readonly heartbeat: () => HeartbeatState;
  /** The kiosk's local storage, where the runtime has one (Bun); absent on Deno. */
  readonly storage?: () => StorageStatus;
  /** The face engine, where the runtime has one (Bun); absent on Deno. */
  readonly face?: () => FaceEngineHealth;
}

/** Assembles the edge server's health report from its parts. */
export class HealthReporter {
  readonly #deps: HealthReporterDeps;

  constructor(deps: HealthReporterDeps) {
    this.#deps = deps;
  }

  /** The kiosk's overall status and its devices, as heartbeats carry them. */
  status(): Pick<EdgeHealth, "status" | "devices"> {
    const devices = this.#deps.devices.snapshot();
    const acceptingResults = this.#deps.storage?.().acceptingResults ?? true;
    return { status: kioskStatus({ devices, centralFailures: this.#deps.heartbeat().consecutiveFailures, acceptingResults }), devices };
  }

  /** The full report served at `GET /api/health`. */
  report(): EdgeHealth {
    const { clock, startedAtMs } = this.#deps;
    const heartbeat = this.#deps.heartbeat();
    const storage = this.#deps.storage?.();
    return {
      service: "edge",
      ...this.status(),
      kioskId: this.#deps.kioskId,
      version: SOFTWARE_VERSION,
      startedAt: new Date(startedAtMs).toISOString(),
      uptimeS: Math.max(0, Math.round((clock.now() - startedAtMs) / 1000)),
      central: { url: this.#deps.centralUrl, ...heartbeat },
      ...(storage ? { outbox: storage.outbox, syncDown: storage.syncDown } : {}),
      ...(this.#deps.face ? { face: this.#deps.face() } : {}),
    };
  }
}
