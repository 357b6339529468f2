import { describe, expect, test } from "bun:test";
import { DEFAULT_FACE_THRESHOLD } from "@kiosk/edge-server";
import { FACE_FIXTURES } from "@kiosk/edge-server/testing";
import { tmpdir } from "node:os";
import { run } from "./face-compare.ts";
import { captureIo } from "../testing/capture-io.ts";

// These tests start real face workers; a busy machine can take longer than bun's 5 s default.
const ENGINE_TEST_TIMEOUT_MS = 30_000;

describe("./kiosk face compare CHIP LIVE", () => {
  test("the same person: one JSON line with a match at the shipped threshold and the live face's quality", async () => {
    const { io, out } = captureIo();
    expect(await run([FACE_FIXTURES.chipA, FACE_FIXTURES.liveA], io)).toBe(0);
    expect(out.length).toBe(1);
    const result = JSON.parse(out[0] ?? "");
    expect(result.match).toBe(true);
    expect(result.similarity).toBeGreaterThanOrEqual(result.threshold);
    expect(result.threshold).toBe(DEFAULT_FACE_THRESHOLD);
    expect(result.noFace).toBeNull();
    expect(Object.keys(result.quality).sort()).toEqual(["brightness", "centreOffset", "eyeOpenness", "faceSizePx", "sharpness"]);
    expect(result.quality.faceSizePx).toBeGreaterThan(100);
  }, ENGINE_TEST_TIMEOUT_MS);

  test("different people do not match", async () => {
    const { io, out } = captureIo();
    expect(await run([FACE_FIXTURES.chipA, FACE_FIXTURES.liveB], io)).toBe(0);
    const result = JSON.parse(out[0] ?? "");
    expect(result.match).toBe(false);
    expect(result.similarity).toBeLessThan(result.threshold);
  }, ENGINE_TEST_TIMEOUT_MS);

  test("a configured threshold above every score rejects even the same person", async () => {
    const { io, out } = captureIo({ env: { KIOSK_EDGE_FACE_THRESHOLD_VALUE: "0.9999" } });
    expect(await run([FACE_FIXTURES.chipA, FACE_FIXTURES.liveA], io)).toBe(0);
    expect(JSON.parse(out[0] ?? "")).toMatchObject({ match: false, threshold: 0.9999 });
  }, ENGINE_TEST_TIMEOUT_MS);

  test("bad usage, a missing file and a threshold for another model exit 2", async () => {
    for (const args of [[], [FACE_FIXTURES.chipA], [FACE_FIXTURES.chipA, FACE_FIXTURES.liveA, "x"]]) {
      const { io, out, err } = captureIo();
      expect(await run(args, io)).toBe(2);
      expect(out).toEqual([]);
      expect(err.join("")).toContain("Expected two arguments");
    }
    const missing = captureIo();
    expect(await run(["nope.webp", FACE_FIXTURES.liveA], missing.io)).toBe(2);
    expect(missing.err.join("")).toContain("no such file");

    const other = captureIo({ env: { KIOSK_EDGE_FACE_MODEL: "faceres" } });
    expect(await run([FACE_FIXTURES.chipA, FACE_FIXTURES.liveA], other.io)).toBe(2);
    expect(other.err.join("")).toContain("Refusing the face threshold");
  }, ENGINE_TEST_TIMEOUT_MS);
});
