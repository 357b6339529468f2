import { describe, expect, test } from "bun:test";
import { KioskError, type Heartbeat, type HeartbeatAck } from "@kiosk/contracts";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import type { CentralClient } from "../ports.ts";
import { HeartbeatSender } from "./heartbeat-sender.ts";

const at = "2026-01-01T00:00:00.000Z";
const devices = {
  idcardReader: { kind: "simulated", state: "ready", since: at },
  camera: { kind: "replay", state: "ready", since: at },
} as const;

class FakeCentral implements CentralClient {
  readonly url = "http://central.test";
  received: Heartbeat[] = [];
  failWith: Error | undefined;
  async sendHeartbeat(heartbeat: Heartbeat): Promise<HeartbeatAck> {
    if (this.failWith) throw this.failWith;
    this.received.push(heartbeat);
    return { receivedAt: "2026-01-01T00:00:01.000Z" };
  }
}

function setup() {
  const clock = new FakeClock(Date.parse(at));
  const central = new FakeCentral();
  const { log, records } = captureLogger("info");
  const reachable: number[] = [];
  const sender = new HeartbeatSender({
    kioskId: "hall-1-k1",
    version: "0.1.0",
    bootId: "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
    intervalMs: 30_000,
    startedAtMs: clock.now(),
    clock,
    central,
    status: () => ({ status: "ok", devices }),
    log,
    onCentralReachable: () => reachable.push(clock.now()),
  });
  return { clock, central, sender, records, reachable };
}

describe("HeartbeatSender", () => {
  test("beats at start and then every interval, counting up", async () => {
    const { clock, central, sender } = setup();
    await sender.start();
    await clock.advance(0);
    expect(central.received.map((h) => h.seq)).toEqual([1]);
    await clock.advance(60_000);
    expect(central.received.map((h) => h.seq)).toEqual([1, 2, 3]);
    expect(central.received[2]).toMatchObject({ kioskId: "hall-1-k1", uptimeS: 60, status: "ok", sentAt: "2026-01-01T00:01:00.000Z" });
    expect(sender.state).toEqual({ lastHeartbeatAt: "2026-01-01T00:00:01.000Z", lastError: null, consecutiveFailures: 0 });
    await sender.stop();
  });

  test("records failures, logs them once, and recovers", async () => {
    const { clock, central, sender, records, reachable } = setup();
    central.failWith = new KioskError("central-unreachable", "Cannot reach central");
    await sender.start();
    await clock.advance(60_000);
    expect(sender.state.consecutiveFailures).toBe(3);
    expect(sender.state.lastError).toMatchObject({ code: "central-unreachable", message: "Cannot reach central" });
    expect(records.filter((r) => r.level === "warn")).toHaveLength(1);
    central.failWith = undefined;
    await clock.advance(30_000);
    expect(sender.state.consecutiveFailures).toBe(0);
    expect(sender.state.lastError).toBeNull();
    expect(records.some((r) => r.msg === "central reachable again")).toBe(true);
    expect(reachable).toEqual([Date.parse(at) + 90_000]);
    await sender.stop();
  });

  test("stop cancels the next beat", async () => {
    const { clock, central, sender } = setup();
    await sender.start();
    await clock.advance(0);
    await sender.stop();
    await clock.advance(120_000);
    expect(central.received).toHaveLength(1);
    expect(clock.pendingCount).toBe(0);
  });
});
