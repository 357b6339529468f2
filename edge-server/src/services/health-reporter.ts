import { SOFTWARE_VERSION, type Clock, type EdgeHealth } from "@kiosk/contracts";
import { kioskStatus } from "../domain/kiosk-status.ts";
import type { DeviceStatusSource } from "../ports.ts";
import type { HeartbeatState } from "./heartbeat-sender.ts";

/** Dependencies of {@linkcode HealthReporter}. */
export interface HealthReporterDeps {
  readonly kioskId: string;
  readonly startedAtMs: number;
  readonly clock: Clock;
  readonly devices: DeviceStatusSource;
  readonly centralUrl: string;
  readonly heartbeat: () => HeartbeatState;
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
    return { status: kioskStatus(devices, this.#deps.heartbeat().consecutiveFailures), devices };
  }

  /** The full report served at `GET /api/health`. */
  report(): EdgeHealth {
    const { clock, startedAtMs } = this.#deps;
    const heartbeat = this.#deps.heartbeat();
    return {
      service: "edge",
      ...this.status(),
      kioskId: this.#deps.kioskId,
      version: SOFTWARE_VERSION,
      startedAt: new Date(startedAtMs).toISOString(),
      uptimeS: Math.max(0, Math.round((clock.now() - startedAtMs) / 1000)),
      central: { url: this.#deps.centralUrl, ...heartbeat },
    };
  }
}
