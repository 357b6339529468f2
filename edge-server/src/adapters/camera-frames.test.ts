/**
 * CameraLiveFrames over a real replay camera and the real JPEG decoder:
 * frames come out decoded with their capture time, each at most once, and
 * a slow reader gets the newest frame rather than a backlog.
 */
import { FakeClock } from "@kiosk/contracts/testing";
import { JpegFrameDecoder, ReplayCamera } from "@kiosk/device/adapters";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { CameraLiveFrames } from "./camera-frames.ts";

const FRAME_MS = 100;
let dir: string;

/** The red level of each replayed image: frame i is solid red i·40. */
const REDS = [0, 40, 80, 120, 160];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kiosk-camera-frames-"));
  for (const [i, red] of REDS.entries()) {
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: red, g: 0, b: 0 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    writeFileSync(join(dir, `frame-${i}.jpg`), jpeg);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function settle(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 100 && clock.pendingCount === 0; i++) await Bun.sleep(5);
}

describe("CameraLiveFrames", () => {
  test("decodes each new frame once, stamped with its capture time, skipping to the newest", async () => {
    const clock = new FakeClock();
    const camera = new ReplayCamera({ source: { kind: "images", dir }, fps: 1000 / FRAME_MS, loop: false, clock });
    const frames = new CameraLiveFrames(camera, new JpegFrameDecoder());
    await camera.start();
    try {
      const signal = AbortSignal.timeout(5000);
      const first = await frames.next(signal);
      expect([first.image.width, first.image.height, first.image.data.length]).toEqual([32, 24, 32 * 24 * 3]);
      expect(first.image.data[0]).toBeLessThan(10);
      expect(first.atMs).toBe(clock.now());

      // Three frames arrive while the reader is busy: it gets the newest.
      for (let i = 0; i < 3; i++) {
        await settle(clock);
        await clock.advance(FRAME_MS);
      }
      const newest = await frames.next(signal);
      expect(Math.abs((newest.image.data[0] as number) - 120)).toBeLessThan(10);
      expect(newest.atMs).toBe(first.atMs + 3 * FRAME_MS);

      // The same frame is never returned twice: the next call waits for the next one.
      let next: number | undefined;
      const pending = frames.next(signal).then((f) => (next = f.image.data[0]));
      await Bun.sleep(20);
      expect(next).toBeUndefined();
      await settle(clock);
      await clock.advance(FRAME_MS);
      await pending;
      expect(Math.abs((next as number) - 160)).toBeLessThan(10);
    } finally {
      await camera.stop();
    }
  });

  test("a wait ends with the signal's reason when it aborts", async () => {
    const clock = new FakeClock();
    const camera = new ReplayCamera({ source: { kind: "images", dir }, fps: 10, clock });
    const frames = new CameraLiveFrames(camera, new JpegFrameDecoder());
    await camera.start();
    try {
      await frames.next(AbortSignal.timeout(5000));
      const controller = new AbortController();
      const waiting = frames.next(controller.signal);
      controller.abort(new Error("capture cancelled"));
      await expect(waiting).rejects.toThrow("capture cancelled");
    } finally {
      await camera.stop();
    }
  });
});
