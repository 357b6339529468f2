import { describe, expect, test } from "bun:test";
import { deviceStatusSchema, isKioskError, KioskError } from "@kiosk/contracts";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import type { CameraEvent, CameraFrame } from "./camera.ts";
import { CameraCore } from "./camera-core.ts";

const image = (width = 64, height = 48) => ({ bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), width, height });

function setup(): { clock: FakeClock; core: CameraCore; events: CameraEvent[] } {
  const clock = new FakeClock();
  const core = new CameraCore({ kind: "v4l2", channel: "ir", detail: "/dev/video2 640x480@30 gray", clock });
  const events: CameraEvent[] = [];
  core.onEvent((event) => events.push(event));
  return { clock, core, events };
}

describe("CameraCore", () => {
  test("numbers frames from 1, stamps them with the clock and the channel, and keeps only the newest", async () => {
    const { clock, core } = setup();
    const seen: CameraFrame[] = [];
    core.onFrame((frame) => seen.push(frame));
    core.starting();
    core.publish(image());
    await clock.advance(33);
    const second = core.publish(image(32, 24));
    expect(seen.map((f) => [f.seq, f.capturedAtMs - clock.now(), f.width, f.height, f.channel, f.format])).toEqual([
      [1, -33, 64, 48, "ir", "jpeg"],
      [2, 0, 32, 24, "ir", "jpeg"],
    ]);
    expect(core.latest()).toBe(second);
    expect(core.counters()).toEqual({ frames: 2, replaced: 1, lost: 0, reconnectAttempts: 0, droppedBytes: 0, badFrames: 0 });
    expect(core.counters({ droppedBytes: 7, badFrames: 2 })).toMatchObject({ droppedBytes: 7, badFrames: 2 });
  });

  test("status moves stopped → starting → ready → unavailable → ready, with `since` at each change", async () => {
    const { clock, core, events } = setup();
    expect(core.status()).toMatchObject({ kind: "v4l2", state: "stopped", detail: "/dev/video2 640x480@30 gray" });
    core.starting();
    expect(core.status().state).toBe("starting");
    await clock.advance(100);
    core.publish(image());
    core.publish(image());
    expect(core.status()).toEqual({ kind: "v4l2", state: "ready", since: new Date(clock.now()).toISOString(), detail: "/dev/video2 640x480@30 gray" });
    expect(events.filter((e) => e.type === "camera-ready")).toHaveLength(1);

    await clock.advance(100);
    const error = new KioskError("device-unavailable", "Camera gone");
    core.lost(error);
    core.reconnecting(1, 500);
    const lostStatus = core.status();
    expect(deviceStatusSchema.parse(lostStatus)).toEqual(lostStatus);
    expect(lostStatus).toMatchObject({ state: "unavailable", error: { code: "device-unavailable", message: "Camera gone" } });

    await clock.advance(500);
    core.publish(image());
    expect(core.status().state).toBe("ready");
    expect(core.status().error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["camera-ready", "camera-lost", "camera-reconnecting", "camera-ready"]);
    expect(events[2]).toEqual({ type: "camera-reconnecting", atMs: clock.now() - 500, attempt: 1, delayMs: 500 });
    expect(core.counters()).toMatchObject({ lost: 1, reconnectAttempts: 1 });
  });

  test("a loss that cannot be retried puts the camera in `error`", () => {
    const { core } = setup();
    core.starting();
    core.lost(new KioskError("missing-dependency", "No ffmpeg"));
    expect(core.status()).toMatchObject({ state: "error", error: { code: "missing-dependency" } });
  });

  test("stopped() rejects waiting nextFrame() calls with shutting-down", async () => {
    const { core } = setup();
    core.starting();
    const waiting = core.nextFrame();
    core.stopped();
    const error = await waiting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "shutting-down")).toBe(true);
    expect(core.status().state).toBe("stopped");
    core.starting();
    const again = core.nextFrame();
    core.publish(image());
    expect((await again).seq).toBe(1);
  });

  test("ended() reports the frame count, keeps the last frame and then rejects nextFrame()", async () => {
    const { core, events } = setup();
    core.starting();
    core.publish(image());
    core.publish(image());
    core.ended();
    expect(events.at(-1)).toMatchObject({ type: "camera-ended", frames: 2 });
    expect(core.status()).toMatchObject({ state: "stopped", detail: "/dev/video2 640x480@30 gray; ended after 2 frames" });
    expect((await core.nextFrame({ after: 0 })).seq).toBe(2);
    const error = await core.nextFrame({ after: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect((error as KioskError).retryable).toBe(false);
  });

  test("failed() sets `error` without an event; logging never includes frame bytes", () => {
    const clock = new FakeClock();
    const { log, lines } = captureLogger();
    const core = new CameraCore({ kind: "replay", channel: "rgb", detail: "images", clock, log });
    const events: CameraEvent[] = [];
    core.onEvent((e) => events.push(e));
    core.starting();
    core.publish(image());
    core.failed(new KioskError("missing-dependency", "No ffmpeg"));
    expect(core.status().state).toBe("error");
    expect(events.map((e) => e.type)).toEqual(["camera-ready"]);
    expect(lines()).toContain("Camera ready: 64x48");
    expect(lines()).not.toContain("255,216");
  });
});
