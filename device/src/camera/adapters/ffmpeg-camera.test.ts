/**
 * FfmpegCamera over the real ffmpeg binary. There is no /dev/video* on the
 * CI machines, so the input part of the command is a lavfi test pattern; the
 * rest of the pipeline (process, pipe, splitter, slot, reconnect) is real.
 * Time is a FakeClock: frames arrive in real time, while the watchdog and
 * back-off move only when a test advances the clock.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { isKioskError, type KioskError } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { waitFor } from "../../testing/index.ts";
import type { CameraEvent } from "../camera.ts";
import { FfmpegCamera, type FfmpegCameraOptions } from "./ffmpeg-camera.ts";

const cameras: FfmpegCamera[] = [];

afterEach(async () => {
  for (const camera of cameras.splice(0)) await camera.stop();
});

function setup(options: FfmpegCameraOptions = {}): { camera: FfmpegCamera; clock: FakeClock; events: CameraEvent[] } {
  const clock = new FakeClock();
  const camera = new FfmpegCamera({ input: { kind: "lavfi", graph: "testsrc2=size=640x480:rate=30" }, clock, ...options });
  cameras.push(camera);
  const events: CameraEvent[] = [];
  camera.onEvent((event) => events.push(event));
  return { camera, clock, events };
}

/** Pids of this process's children whose command is `name`. */
function childProcesses(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // the process ended while we listed /proc
    }
    // "pid (comm) state ppid …"; comm may contain spaces, so split after the last ")".
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    if (ppid === process.pid && comm === name) pids.push(Number(entry));
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const types = (events: readonly CameraEvent[]): string[] => events.map((e) => e.type);

describe("FfmpegCamera with a lavfi input", () => {
  test("frames arrive as whole JPEGs of the configured size and the camera becomes ready", async () => {
    const { camera, events } = setup();
    expect(camera.status().state).toBe("stopped");
    await camera.start();
    const frame = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    expect([frame.width, frame.height, frame.format, frame.channel]).toEqual([640, 480, "jpeg", "rgb"]);
    expect([frame.bytes[0], frame.bytes[1], frame.bytes.at(-2), frame.bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(events[0]).toMatchObject({ type: "camera-ready", width: 640, height: 480 });
    expect(camera.status()).toMatchObject({ kind: "lavfi", state: "ready", detail: "lavfi:testsrc2=size=640x480:rate=30" });
    const second = await camera.nextFrame({ after: frame.seq, signal: AbortSignal.timeout(3000) });
    expect(second.seq).toBeGreaterThan(frame.seq);
    expect(camera.counters()).toMatchObject({ droppedBytes: 0, badFrames: 0, lost: 0 });
  });

  test("the frame size comes from the stream, and an IR camera tags its frames", async () => {
    const { camera } = setup({ input: { kind: "lavfi", graph: "testsrc2=size=320x240:rate=15", realtime: false }, channel: "ir" });
    await camera.start();
    const frame = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    expect([frame.width, frame.height, frame.channel]).toEqual([320, 240, "ir"]);
  });

  test("while a slow consumer is busy, only the newest frame is kept and it gets that one next", async () => {
    const { camera } = setup({ input: { kind: "lavfi", graph: "testsrc2=size=160x120:rate=30", realtime: false } });
    await camera.start();
    const first = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    // The consumer "works" while the camera delivers 20 more frames.
    await waitFor(() => camera.counters().frames >= first.seq + 20, { timeoutMs: 3000 });
    // Nothing older was queued: the frame handed over is the newest one published.
    const newest = camera.counters().frames;
    const next = await camera.nextFrame({ after: first.seq });
    expect(next.seq).toBe(newest);
    expect(next.seq).toBeGreaterThanOrEqual(first.seq + 20);
    expect(camera.counters().replaced).toBeGreaterThanOrEqual(19);
  });

  test("killing ffmpeg reports camera-lost, then reconnects after the back-off and frames flow again", async () => {
    const { camera, clock, events } = setup();
    await camera.start();
    const before = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const firstPid = camera.pid;
    expect(firstPid).toBeNumber();
    process.kill(firstPid as number, "SIGKILL");

    await waitFor(() => types(events).includes("camera-reconnecting"), { message: () => types(events).join(",") });
    const lost = events.find((e) => e.type === "camera-lost") as { error: KioskError };
    expect(isKioskError(lost.error, "device-unavailable")).toBe(true);
    expect(lost.error.message).toContain("was killed by SIGKILL");
    expect(events.find((e) => e.type === "camera-reconnecting")).toMatchObject({ attempt: 1, delayMs: 500 });
    expect(camera.status()).toMatchObject({ state: "unavailable", error: { code: "device-unavailable" } });
    expect(camera.pid).toBeUndefined();

    // Nothing restarts before the back-off has elapsed.
    await clock.advance(499);
    expect(camera.pid).toBeUndefined();
    await clock.advance(1);
    expect(camera.pid).toBeNumber();
    expect(camera.pid).not.toBe(firstPid);

    const after = await camera.nextFrame({ after: before.seq, signal: AbortSignal.timeout(3000) });
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(types(events)).toEqual(["camera-ready", "camera-lost", "camera-reconnecting", "camera-ready"]);
    expect(camera.status().state).toBe("ready");
    expect(isAlive(firstPid as number)).toBe(false);
  });

  test("a camera that stops delivering is restarted by the watchdog after frameTimeoutMs", async () => {
    const { camera, clock, events } = setup({ frameTimeoutMs: 2000 });
    await camera.start();
    await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const stuckPid = camera.pid as number;
    process.kill(stuckPid, "SIGSTOP"); // a hung USB camera: the process lives, nothing arrives
    let frames = camera.counters().frames;
    await waitFor(
      () => {
        const now = camera.counters().frames;
        const settled = now === frames;
        frames = now;
        return settled;
      },
      { intervalMs: 100 },
    );

    await clock.advance(1999);
    expect(types(events)).not.toContain("camera-lost");
    await clock.advance(1);
    const lost = events.find((e) => e.type === "camera-lost") as { error: KioskError };
    expect(lost.error.message).toContain("delivered no frame for 2000 ms");
    await waitFor(() => !isAlive(stuckPid), { message: "the stalled ffmpeg was not killed" });

    await clock.advance(500);
    await camera.nextFrame({ after: frames, signal: AbortSignal.timeout(3000) });
    expect(camera.status().state).toBe("ready");
  });

  test("ffmpeg failing at once is reported with its error line, and retries back off 0.5 s, 1 s, 2 s", async () => {
    const { camera, clock, events } = setup({ input: { kind: "lavfi", graph: "nosuchsource=size=2x2" } });
    await camera.start();
    const reconnects = (): CameraEvent[] => events.filter((e) => e.type === "camera-reconnecting");
    await waitFor(() => reconnects().length === 1, { timeoutMs: 3000 });
    const lost = events.find((e) => e.type === "camera-lost") as { error: KioskError };
    expect(lost.error.message).toMatch(/ffmpeg exited with code [1-9]\d*: .*nosuchsource/i);
    await clock.advance(500);
    await waitFor(() => reconnects().length === 2, { timeoutMs: 3000 });
    await clock.advance(1000);
    await waitFor(() => reconnects().length === 3, { timeoutMs: 3000 });
    expect(reconnects().map((e) => (e as { delayMs: number }).delayMs)).toEqual([500, 1000, 2000]);
    expect(camera.status().state).toBe("unavailable");
    expect(camera.counters()).toMatchObject({ frames: 0, lost: 3, reconnectAttempts: 3 });
  });

  test("a missing V4L2 device is reported without starting ffmpeg and retried with back-off", async () => {
    const clock = new FakeClock();
    const camera = new FfmpegCamera({ input: { kind: "v4l2", device: "/dev/video-kiosk-test-missing" }, clock });
    cameras.push(camera);
    const events: CameraEvent[] = [];
    camera.onEvent((e) => events.push(e));
    await camera.start();
    expect(camera.pid).toBeUndefined();
    expect(childProcesses("ffmpeg")).toEqual([]);
    const lost = events[0] as { type: string; error: KioskError };
    expect(lost.type).toBe("camera-lost");
    expect(lost.error.message).toBe(
      'Camera device "/dev/video-kiosk-test-missing" does not exist: check that the camera is plugged in and the configured device is right',
    );
    expect(camera.status()).toMatchObject({ kind: "v4l2", state: "unavailable", detail: "v4l2:/dev/video-kiosk-test-missing 640x480@30 mjpeg" });
    await clock.advance(500);
    await clock.advance(1000);
    await clock.advance(2000);
    expect(events.filter((e) => e.type === "camera-reconnecting").map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3, 4]);
  });

  test("a missing ffmpeg binary fails start() with missing-dependency and the apt-get line", async () => {
    const { camera } = setup({ ffmpegPath: "/nonexistent/bin/ffmpeg" });
    const error = await camera.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "missing-dependency")).toBe(true);
    expect((error as KioskError).retryable).toBe(false);
    expect((error as Error).message).toContain('"/nonexistent/bin/ffmpeg"');
    expect((error as Error).message).toContain("sudo apt-get install --no-install-recommends ffmpeg");
    expect(camera.status()).toMatchObject({ state: "error", error: { code: "missing-dependency" } });
  });

  test("stop() kills and reaps ffmpeg, cancels the back-off timer and rejects waiting consumers", async () => {
    const { camera, clock } = setup();
    await camera.start();
    await camera.start(); // already running: no second process
    await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const pid = camera.pid as number;
    expect(childProcesses("ffmpeg")).toEqual([pid]);
    const waiting = camera.nextFrame();

    await camera.stop();
    expect(isAlive(pid)).toBe(false);
    expect(childProcesses("ffmpeg")).toEqual([]);
    expect(camera.status().state).toBe("stopped");
    const error = await waiting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "shutting-down")).toBe(true);
    expect(clock.pendingCount).toBe(0);
    await camera.stop();

    // Stopped while waiting to reconnect: the timer goes too.
    await camera.start();
    await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    process.kill(camera.pid as number, "SIGKILL");
    await waitFor(() => camera.status().state === "unavailable");
    await camera.stop();
    expect(clock.pendingCount).toBe(0);
    await clock.advance(10_000);
    expect(childProcesses("ffmpeg")).toEqual([]);
  });
});
