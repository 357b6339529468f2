import { describe, expect, test } from "bun:test";
import { createLogger } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import type { CameraFrame } from "@kiosk/device";
import { ReplayCamera } from "@kiosk/device/adapters";
import { waitFor } from "@kiosk/device/testing";
import { createFaceEngine, decodeImage, defaultFaceConfig, encodeJpeg, LivenessChallenge, type ChallengeStatus } from "@kiosk/edge-server";
import { FACE_FIXTURES } from "@kiosk/edge-server/testing";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./face-sequence.ts";
import { captureIo } from "../testing/capture-io.ts";

describe("./kiosk face sequence", () => {
  test("writes numbered JPEG frames of the photo's size and prints a JSON summary", async () => {
    const dir = await mkdtemp(join(tmpdir(), "face-sequence-"));
    try {
      const { io, out, err } = captureIo({ cwd: dir });
      expect(await run(["--photo", FACE_FIXTURES.liveA, "--kind", "blink", "--out", "frames", "--frames", "5"], io)).toBe(0);
      expect(err).toEqual([]);
      const summary = JSON.parse(out[0] ?? "");
      expect(summary).toEqual({
        kind: "blink",
        frames: 5,
        out: join(dir, "frames"),
        files: ["frame-0001.jpg", "frame-0002.jpg", "frame-0003.jpg", "frame-0004.jpg", "frame-0005.jpg"],
        width: 320,
        height: 320,
      });
      expect((await readdir(join(dir, "frames"))).sort()).toEqual(summary.files);
      const [first, shut] = await Promise.all(["frame-0001.jpg", "frame-0003.jpg"].map(async (f) => decodeImage(new Uint8Array(await readFile(join(dir, "frames", f))))));
      expect([first?.width, first?.height]).toEqual([320, 320]);
      // The shut frame differs from the open one only around the eyes.
      let changed = 0;
      for (let i = 0; i < (first?.data.length ?? 0); i += 3) if (Math.abs((first?.data[i] ?? 0) - (shut?.data[i] ?? 0)) > 40) changed++;
      expect(changed).toBeGreaterThan(50);
      expect(changed).toBeLessThan(320 * 320 * 0.05);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  test("bad usage exits 2 before the engine starts", async () => {
    for (const args of [
      ["--kind", "blink", "--out", "x"],
      ["--photo", FACE_FIXTURES.liveA, "--kind", "blink"],
      ["--photo", FACE_FIXTURES.liveA, "--kind", "nod", "--out", "x"],
      ["--photo", FACE_FIXTURES.liveA, "--kind", "still", "--out", "x", "--frames", "3"],
      ["--photo", "missing.jpg", "--kind", "still", "--out", "x"],
    ]) {
      const { io, out, err } = captureIo();
      expect(await run(args, io)).toBe(2);
      expect(out).toEqual([]);
      expect(err.join("")).not.toBe("");
    }
  });

  test("a photo without a face exits 2 and writes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "face-sequence-"));
    try {
      await writeFile(join(dir, "blank.jpg"), await encodeJpeg({ width: 200, height: 200, data: new Uint8Array(200 * 200 * 3).fill(128) }));
      const { io, out, err } = captureIo({ cwd: dir });
      expect(await run(["--photo", "blank.jpg", "--kind", "still", "--out", "frames"], io)).toBe(2);
      expect(out).toEqual([]);
      expect(err.join("")).toContain("No face found");
      expect(await readdir(dir)).toEqual(["blank.jpg"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  test("a generated blink, played by the replay camera through the engine, passes a blink challenge and no turn challenge", async () => {
    const dir = await mkdtemp(join(tmpdir(), "face-sequence-"));
    const clock = new FakeClock();
    const camera = new ReplayCamera({ source: { kind: "images", dir: join(dir, "blink") }, fps: 5, loop: false, clock });
    const config = defaultFaceConfig();
    const engine = createFaceEngine({ ...config, workers: 1 }, createLogger({ ns: "test", level: "error", sink: () => undefined }));
    try {
      const { io } = captureIo({ cwd: dir });
      expect(await run(["--photo", FACE_FIXTURES.liveB, "--kind", "blink", "--out", "blink", "--frames", "6"], io)).toBe(0);
      await camera.start();
      const frames: CameraFrame[] = [await camera.nextFrame({ signal: AbortSignal.timeout(3000) })];
      while (frames.length < 6) {
        await waitFor(() => clock.pendingCount > 0, { timeoutMs: 3000, message: "the replay never waited for its next frame" });
        await clock.advance(200);
        frames.push(await camera.nextFrame({ after: frames.at(-1)?.seq ?? 0, signal: AbortSignal.timeout(3000) }));
      }
      await engine.start();
      const blink = new LivenessChallenge(["blink"], config.liveness.active);
      const turn = new LivenessChallenge(["turn-left"], config.liveness.active);
      let blinkStatus: ChallengeStatus = blink.status;
      for (const frame of frames) {
        const analysis = await engine.analyze(await decodeImage(frame.bytes), { embed: true });
        blinkStatus = blink.observe(analysis, frame.capturedAtMs);
        turn.observe(analysis, frame.capturedAtMs);
      }
      expect(blinkStatus.state).toBe("passed");
      expect(turn.expire((frames.at(-1)?.capturedAtMs ?? 0) + config.liveness.active.timeLimitMs)).toMatchObject({ state: "failed", reason: "timeout" });
    } finally {
      await camera.stop();
      await engine.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
