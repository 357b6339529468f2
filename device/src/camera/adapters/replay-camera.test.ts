/**
 * ReplayCamera over image folders and videos generated here (sharp images,
 * an ffmpeg test pattern): no face photos are stored. Pacing runs on a
 * FakeClock, so frame times are exact.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKioskError, type KioskError } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import sharp from "sharp";
import { waitFor } from "../../testing/index.ts";
import type { CameraEvent, CameraFrame } from "../camera.ts";
import { ReplayCamera, type ReplayCameraOptions } from "./replay-camera.ts";

let root: string;
const cameras: ReplayCamera[] = [];

/** A solid-colour image of `width`×`height` in `format`. */
async function solid(width: number, height: number, format: "png" | "jpeg", orientation?: number): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  if (orientation !== undefined) image = image.withMetadata({ orientation });
  return format === "png" ? image.png().toBuffer() : image.jpeg({ quality: 80 }).toBuffer();
}

function folder(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kiosk-replay-"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

afterEach(async () => {
  for (const camera of cameras.splice(0)) await camera.stop();
});

function setup(options: Omit<ReplayCameraOptions, "clock">): { camera: ReplayCamera; clock: FakeClock; events: CameraEvent[] } {
  const clock = new FakeClock();
  const camera = new ReplayCamera({ ...options, clock });
  cameras.push(camera);
  const events: CameraEvent[] = [];
  camera.onEvent((e) => events.push(e));
  return { camera, clock, events };
}

/** Waits until the replay sleeps for its next frame, moves the clock by `ms` and returns the frame after `after`. */
async function step(camera: ReplayCamera, clock: FakeClock, after: number, ms: number): Promise<CameraFrame> {
  await waitFor(() => clock.pendingCount > 0, { timeoutMs: 3000, message: "the replay never waited for its next frame" });
  await clock.advance(ms);
  return camera.nextFrame({ after, signal: AbortSignal.timeout(3000) });
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9;
}

function ffmpegChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (stat.slice(stat.indexOf("(") + 1, close) === "ffmpeg" && Number(stat.slice(close + 2).split(" ")[1]) === process.pid) pids.push(Number(entry));
    } catch {
      // the process ended while /proc was listed
    }
  }
  return pids;
}

describe("ReplayCamera with an image folder", () => {
  let dir: string;
  let jpegAsIs: Buffer;

  beforeAll(async () => {
    jpegAsIs = await solid(30, 20, "jpeg");
    // Name order with numbers compared as numbers: frame1, frame2, frame10.
    dir = folder("mixed", {
      "frame10.png": await solid(50, 40, "png"),
      "frame2.JPG": jpegAsIs,
      "frame1.png": await solid(10, 8, "png"),
      "notes.txt": "not an image",
    });
  });

  test("plays the images in numeric name order at the configured rate, as JPEG frames, and loops", async () => {
    const { camera, clock, events } = setup({ source: { kind: "images", dir }, fps: 10 });
    await camera.start();
    const f1 = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const f2 = await step(camera, clock, f1.seq, 100);
    const f3 = await step(camera, clock, f2.seq, 100);
    const f4 = await step(camera, clock, f3.seq, 100);
    const frames = [f1, f2, f3, f4];
    expect(frames.map((f) => [f.seq, f.width, f.height])).toEqual([
      [1, 10, 8],
      [2, 30, 20],
      [3, 50, 40],
      [4, 10, 8],
    ]);
    expect(frames.map((f) => f.capturedAtMs - f1.capturedAtMs)).toEqual([0, 100, 200, 300]);
    expect(frames.every((f) => isJpeg(f.bytes) && f.format === "jpeg" && f.channel === "rgb")).toBe(true);
    // A JPEG that needs no change is passed through untouched.
    expect(f2.bytes).toEqual(new Uint8Array(jpegAsIs));
    expect(f4.bytes).toEqual(f1.bytes);
    expect(events.map((e) => e.type)).toEqual(["camera-ready"]);
    expect(camera.status()).toMatchObject({ kind: "replay", state: "ready" });
    expect(camera.status().detail).toEndWith("@10fps loop");
  });

  test("resizes every image to cover the configured size", async () => {
    const { camera, clock } = setup({ source: { kind: "images", dir }, fps: 25, size: { width: 64, height: 48 } });
    await camera.start();
    let frame = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const sizes = [[frame.width, frame.height]];
    for (let i = 0; i < 2; i++) {
      frame = await step(camera, clock, frame.seq, 40);
      sizes.push([frame.width, frame.height]);
    }
    expect(sizes).toEqual([
      [64, 48],
      [64, 48],
      [64, 48],
    ]);
    const meta = await sharp(frame.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.chromaSubsampling]).toEqual(["jpeg", 64, 48, "4:2:0"]);
  });

  test("plays once and then ends: camera-ended, state stopped, nextFrame rejects", async () => {
    const { camera, clock, events } = setup({ source: { kind: "images", dir }, fps: 10, loop: false });
    await camera.start();
    const f1 = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const f2 = await step(camera, clock, f1.seq, 100);
    const f3 = await step(camera, clock, f2.seq, 100);
    await waitFor(() => events.some((e) => e.type === "camera-ended"), { timeoutMs: 3000 });
    expect(events.map((e) => e.type)).toEqual(["camera-ready", "camera-ended"]);
    expect(events[1]).toMatchObject({ frames: 3 });
    expect(camera.status()).toMatchObject({ state: "stopped" });
    expect(camera.status().detail).toEndWith("ended after 3 frames");
    expect(camera.latest()?.seq).toBe(f3.seq);
    const error = await camera.nextFrame({ after: f3.seq }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect((error as KioskError).retryable).toBe(false);
  });

  test("when preparing falls a whole frame behind, the schedule moves instead of bursting", async () => {
    const { camera, clock } = setup({ source: { kind: "images", dir }, fps: 10 });
    await camera.start();
    const f1 = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    // Frame 2 is due at +100; the clock jumps to +350 before frame 3 is ready.
    const f2 = await step(camera, clock, f1.seq, 350);
    const f3 = await camera.nextFrame({ after: f2.seq, signal: AbortSignal.timeout(3000) });
    expect(f2.capturedAtMs - f1.capturedAtMs).toBe(100);
    expect(f3.capturedAtMs - f1.capturedAtMs).toBe(350);
    // Frame 4 comes a full interval after frame 3, not at once.
    await waitFor(() => clock.pendingCount > 0, { timeoutMs: 3000 });
    await clock.advance(99);
    expect(camera.latest()?.seq).toBe(f3.seq);
    const f4 = await step(camera, clock, f3.seq, 1);
    expect(f4.capturedAtMs - f3.capturedAtMs).toBe(100);
  });

  test("an EXIF-rotated JPEG is turned upright, and an undecodable image is skipped and counted", async () => {
    const rotated = folder("rotated", {
      "a.jpg": await solid(40, 20, "jpeg", 6),
      "b.jpg": Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2),
      "c.png": await solid(12, 6, "png"),
    });
    const { camera, clock } = setup({ source: { kind: "images", dir: rotated }, fps: 10 });
    await camera.start();
    const f1 = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    const f2 = await step(camera, clock, f1.seq, 100);
    expect([f1.width, f1.height]).toEqual([20, 40]);
    expect([f2.width, f2.height]).toEqual([12, 6]);
    expect(camera.counters().badFrames).toBe(1);
  });

  test.each([
    ["a missing folder", () => ({ kind: "images" as const, dir: join(root, "nope") }), /Replay folder ".*nope" does not exist/],
    ["a folder without images", () => ({ kind: "images" as const, dir: folder("empty", { "readme.txt": "x" }) }), /holds no images: expected \.jpg/],
    ["a missing video", () => ({ kind: "video" as const, path: join(root, "nope.mp4") }), /Replay video ".*nope\.mp4" does not exist/],
  ])("%s fails start() with config-invalid", async (_name, source, message) => {
    const { camera } = setup({ source: source() });
    const error = await camera.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "config-invalid")).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(camera.status()).toMatchObject({ state: "error", error: { code: "config-invalid" } });
  });
});

describe("ReplayCamera with a video file", () => {
  let video: string;

  beforeAll(() => {
    video = join(root, "pattern.mp4");
    // 0.5 s of a 160×120 test pattern at 30 fps.
    const made = spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30", "-t", "0.5", "-c:v", "mpeg4", "-q:v", "5", video]);
    if (made.status !== 0) throw new Error(`ffmpeg could not make the test video: ${made.stderr}`);
  });

  test("decodes the video through ffmpeg, resampled to fps and resized, and ends when it does not loop", async () => {
    const { camera, clock, events } = setup({ source: { kind: "video", path: video }, fps: 10, size: { width: 80, height: 60 }, loop: false });
    await camera.start();
    const frames = [await camera.nextFrame({ signal: AbortSignal.timeout(3000) })];
    while (!events.some((e) => e.type === "camera-ended")) {
      await waitFor(() => clock.pendingCount > 0 || events.some((e) => e.type === "camera-ended"), { timeoutMs: 3000 });
      if (clock.pendingCount === 0) break;
      await clock.advance(100);
      const last = frames.at(-1) as CameraFrame;
      await waitFor(() => (camera.latest()?.seq ?? 0) > last.seq || events.some((e) => e.type === "camera-ended"), { timeoutMs: 3000 });
      const latest = camera.latest() as CameraFrame;
      if (latest.seq > last.seq) frames.push(latest);
    }
    // 0.5 s at 10 fps.
    expect(frames).toHaveLength(5);
    expect(frames.map((f) => [f.width, f.height])).toEqual(Array.from({ length: 5 }, () => [80, 60]));
    expect(frames.map((f) => f.capturedAtMs - (frames[0] as CameraFrame).capturedAtMs)).toEqual([0, 100, 200, 300, 400]);
    expect(frames.every((f) => isJpeg(f.bytes))).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "camera-ended", frames: 5 });
    await waitFor(() => ffmpegChildren().length === 0, { message: "ffmpeg still running after the video ended" });
  });

  test("a looping video starts again after its end, and stop() leaves no ffmpeg running", async () => {
    const { camera, clock } = setup({ source: { kind: "video", path: video }, fps: 30 });
    await camera.start();
    let frame = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
    // Frames are due on whole milliseconds (0, 33, 67, 100 …); 34 ms steps reach one more each time.
    for (let i = 0; i < 20; i++) frame = await step(camera, clock, frame.seq, 34);
    expect(frame.seq).toBe(21); // 15 frames per pass: the second pass is playing
    expect(ffmpegChildren()).toHaveLength(1);
    await camera.stop();
    expect(ffmpegChildren()).toEqual([]);
    expect(camera.status().state).toBe("stopped");
  });

  test("a file ffmpeg cannot decode makes the camera lost, not retried", async () => {
    const bad = join(root, "bad.mp4");
    writeFileSync(bad, "this is not a video");
    const { camera, events } = setup({ source: { kind: "video", path: bad } });
    await camera.start();
    await waitFor(() => events.some((e) => e.type === "camera-lost"), { timeoutMs: 3000 });
    const lost = events.find((e) => e.type === "camera-lost") as { error: KioskError };
    expect(lost.error.message).toMatch(/Replay video ".*bad\.mp4" cannot be decoded: ffmpeg exited with code [1-9]/);
    expect(camera.status()).toMatchObject({ state: "error", error: { code: "device-unavailable" } });
    expect(events.some((e) => e.type === "camera-reconnecting")).toBe(false);
  });

  test("a video without ffmpeg fails start() with missing-dependency", async () => {
    const { camera } = setup({ source: { kind: "video", path: video }, ffmpegPath: join(root, "no-ffmpeg") });
    const error = await camera.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "missing-dependency")).toBe(true);
    expect((error as Error).message).toContain("apt-get install");
  });
});
