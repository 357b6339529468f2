import { describe, expect, test } from "bun:test";
import type { DeviceStatus, DevicesStatus } from "@kiosk/contracts";
import { kioskStatus } from "./kiosk-status.ts";

const at = "2026-11-23T00:00:00.000Z";
const ready: DeviceStatus = { kind: "simulated", state: "ready", since: at };
const devices = (reader: DeviceStatus, camera: DeviceStatus): DevicesStatus => ({ idcardReader: reader, camera });

describe("kioskStatus", () => {
  test("is ok when every device is ready and central answers", () => {
    expect(kioskStatus(devices(ready, ready), 0)).toBe("ok");
  });

  test("is degraded when only central is failing", () => {
    expect(kioskStatus(devices(ready, ready), 3)).toBe("degraded");
  });

  test("is out of service when the reader or the camera is not ready", () => {
    expect(kioskStatus(devices({ ...ready, state: "unavailable" }, ready), 0)).toBe("out-of-service");
    expect(kioskStatus(devices(ready, { ...ready, state: "starting" }), 0)).toBe("out-of-service");
  });
});
