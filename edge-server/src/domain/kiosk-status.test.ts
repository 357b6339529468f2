import { describe, expect, test } from "bun:test";
import type { DeviceStatus, DevicesStatus } from "@kiosk/contracts";
import { kioskStatus } from "./kiosk-status.ts";

const at = "2026-11-23T00:00:00.000Z";
const ready: DeviceStatus = { kind: "simulated", state: "ready", since: at };
const devices = (reader: DeviceStatus, camera: DeviceStatus): DevicesStatus => ({ idcardReader: reader, camera });

describe("kioskStatus", () => {
  test("is ok when every device is ready and central answers", () => {
    expect(kioskStatus({ devices: devices(ready, ready), centralFailures: 0, acceptingResults: true })).toBe("ok");
  });

  test("is degraded when only central is failing", () => {
    expect(kioskStatus({ devices: devices(ready, ready), centralFailures: 3, acceptingResults: true })).toBe("degraded");
  });

  test("is out of service when storage refuses new results", () => {
    expect(kioskStatus({ devices: devices(ready, ready), centralFailures: 0, acceptingResults: false })).toBe("out-of-service");
  });

  test("is out of service when the reader or the camera is not ready", () => {
    expect(kioskStatus({ devices: devices({ ...ready, state: "unavailable" }, ready), centralFailures: 0, acceptingResults: true })).toBe("out-of-service");
    expect(kioskStatus({ devices: devices(ready, { ...ready, state: "starting" }), centralFailures: 0, acceptingResults: true })).toBe("out-of-service");
  });
});
