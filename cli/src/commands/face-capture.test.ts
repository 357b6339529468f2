/**
 * `./kiosk face capture` on a replayed camera: a blink sequence made from a
 * CC BY photo by `./kiosk face sequence` is played at 2 fps through the real
 * replay camera, JPEG decoder and face engine. The holder's chip photo is
 * matched after the blink challenge; another person's is not.
 */
import { describe, expect, test } from "bun:test";
import { FACE_FIXTURES } from "@kiosk/edge-server/testing";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./face-capture.ts";
import { run as makeSequence } from "./face-sequence.ts";
import { captureIo } from "../testing/capture-io.ts";

/** The replay plays the 320×320 frames as they are, and the challenge asks for one blink. */
const ENV = {
  KIOSK_EDGE_DEVICES_CAMERA_WIDTH: "320",
  KIOSK_EDGE_DEVICES_CAMERA_HEIGHT: "320",
  KIOSK_EDGE_FACE_LIVENESS_ACTIVE_ACTIONS: "1",
  KIOSK_EDGE_FACE_LIVENESS_ACTIVE_ALLOWED_ACTIONS: '["blink"]',
};

function lines(out: readonly string[]): unknown[] {
  return out.join("").trim().split("\n").map((line) => JSON.parse(line));
}

describe("./kiosk face capture", () => {
  test("matches the holder who blinks on the replayed camera, and not another person's chip photo", async () => {
    const dir = await mkdtemp(join(tmpdir(), "face-capture-"));
    try {
      const made = captureIo({ cwd: dir, env: ENV });
      expect(await makeSequence(["--photo", FACE_FIXTURES.liveA, "--kind", "blink", "--out", "blink", "--frames", "6"], made.io)).toBe(0);

      const holder = captureIo({ cwd: dir, env: ENV });
      const args = ["--replay", "blink", "--fps", "2", "--time-limit-ms", "30000"];
      expect(await run(["--chip", FACE_FIXTURES.chipA, ...args], holder.io), holder.err.join("")).toBe(0);
      const updates = lines(holder.out);
      expect(updates).toContainEqual({ type: "challenge", action: "blink", step: 0, of: 1 });
      expect(updates.at(-1)).toMatchObject({ outcome: "matched", decision: { match: true } });

      const other = captureIo({ cwd: dir, env: ENV });
      expect(await run(["--chip", FACE_FIXTURES.chipB, ...args], other.io), other.err.join("")).toBe(1);
      expect(lines(other.out).at(-1)).toMatchObject({ outcome: "not-matched", decision: { match: false } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  test("bad usage exits 2 before anything starts", async () => {
    for (const args of [
      ["--replay", "x"],
      ["--chip", FACE_FIXTURES.chipA, "--replay", "x", "--device", "/dev/video0"],
      ["--chip", "missing.webp", "--replay", "x"],
      ["--chip", FACE_FIXTURES.chipA, "--replay", "/nonexistent/frames"],
      ["--chip", FACE_FIXTURES.chipA, "--replay", tmpdir(), "--liveness", "sometimes"],
      ["--chip", FACE_FIXTURES.chipA, "--fps", "0"],
    ]) {
      const { io, out, err } = captureIo({ env: ENV });
      expect({ args, code: await run(args, io) }).toEqual({ args, code: 2 });
      expect(out).toEqual([]);
      expect(err.join("")).not.toBe("");
    }
  });
});
