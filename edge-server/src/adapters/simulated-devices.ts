import type { Clock, DevicesStatus } from "@kiosk/contracts";
import type { DeviceStatusSource } from "../ports.ts";

/**
 * Device status for a kiosk without hardware (the demo and tests): a
 * simulated ID-card reader and a replayed camera, both ready from start.
 */
export class SimulatedDevices implements DeviceStatusSource {
  readonly #since: string;

  constructor(clock: Clock) {
    this.#since = new Date(clock.now()).toISOString();
  }

  snapshot(): DevicesStatus {
    return {
      idcardReader: { kind: "simulated", state: "ready", since: this.#since, detail: "simulated ID-card reader" },
      camera: { kind: "replay", state: "ready", since: this.#since, detail: "replayed camera" },
    };
  }
}
