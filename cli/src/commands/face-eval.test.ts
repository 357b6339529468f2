import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_FACE_THRESHOLD } from "@kiosk/edge-server";
import { FACE_FIXTURES } from "@kiosk/edge-server/testing";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parsePairs, run } from "./face-eval.ts";
import { captureIo } from "../testing/capture-io.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kiosk-face-eval-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// These tests start real face workers; a busy machine can take longer than bun's 5 s default.
const ENGINE_TEST_TIMEOUT_MS = 30_000;

describe("parsePairs", () => {
  test("reads tab-separated pairs relative to a base folder, skipping blanks and comments", () => {
    expect(parsePairs("# chip\tlive\tsame\na.webp\tb.jpg\t1\n\nc.webp\td.jpg\t0\n", "/data")).toEqual([
      { chip: "/data/a.webp", live: "/data/b.jpg", same: true },
      { chip: "/data/c.webp", live: "/data/d.jpg", same: false },
    ]);
  });

  test("names the first bad line", () => {
    expect(() => parsePairs("a\tb\t1\na\tb\tyes\n", "/")).toThrow("line 2");
    expect(() => parsePairs("a b 1\n", "/")).toThrow("line 1");
    expect(() => parsePairs("\n# nothing\n", "/")).toThrow("no pairs");
  });
});

describe("./kiosk face eval", () => {
  test("evaluates a pairs file, counts a face-less image as a failed pair, and draws the ROC", async () => {
    const fixtures = dirname(FACE_FIXTURES.chipA);
    // A grey picture has no face: its pairs must count as non-matches, not vanish.
    const blank = join(dir, "blank.jpg");
    const { encodeJpeg } = await import("@kiosk/edge-server");
    await writeFile(blank, await encodeJpeg({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) }));
    const chipA = basename(FACE_FIXTURES.chipA);
    const chipB = basename(FACE_FIXTURES.chipB);
    const liveA = basename(FACE_FIXTURES.liveA);
    const liveB = basename(FACE_FIXTURES.liveB);
    await writeFile(
      join(dir, "pairs.tsv"),
      [`${chipA}\t${liveA}\t1`, `${chipB}\t${liveB}\t1`, `${chipA}\t${liveB}\t0`, `${chipB}\t${liveA}\t0`, `${chipA}\t${blank}\t1`, ""].join("\n"),
    );
    const { io, out, err } = captureIo({ cwd: dir });
    const code = await run(["--pairs", "pairs.tsv", "--root", fixtures, "--plot", "roc.svg", "--workers", "2", "--scores", "scores.tsv"], io);
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(out[0] ?? "");
    expect(result).toMatchObject({ pairs: 5, genuine: 3, impostor: 2, images: { chip: 2, live: 3 } });
    expect(result.noFace).toEqual({ chipImages: 0, liveImages: 1, genuinePairs: 1, impostorPairs: 0 });
    expect(Object.keys(result.tarAtFar)).toEqual(["1e-2", "1e-3", "1e-4"]);
    // Two of three genuine pairs pass; the face-less one cannot.
    expect(result.tarAtOperating).toBeCloseTo(2 / 3, 3);
    expect(result.farAtOperating).toBe(0);
    expect(result.operatingThreshold).toBe(DEFAULT_FACE_THRESHOLD);
    expect(result.operatingThresholdSource).toBe("config");
    expect(result.msPerImage).toBeGreaterThan(0);
    for (const key of ["eer", "tarAtFar", "operatingThreshold", "tarAtOperating", "farAtOperating", "msPerImage", "noFace"]) expect(result).toHaveProperty(key);
    const svg = await readFile(join(dir, "roc.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("<polyline");
    const scores = (await readFile(join(dir, "scores.tsv"), "utf8")).trim().split("\n");
    expect(scores.length).toBe(5);
    expect(scores[4]?.endsWith("\t-Infinity")).toBe(true);
  }, ENGINE_TEST_TIMEOUT_MS);

  test("bad usage and a broken pairs file exit 2", async () => {
    const none = captureIo({ cwd: dir });
    expect(await run([], none.io)).toBe(2);
    expect(none.err.join("")).toContain("--pairs");
    const model = captureIo({ cwd: dir });
    expect(await run(["--pairs", "x.tsv", "--model", "arcface"], model.io)).toBe(2);
    await writeFile(join(dir, "bad.tsv"), "only-one-field\n");
    const bad = captureIo({ cwd: dir });
    expect(await run(["--pairs", "bad.tsv"], bad.io)).toBe(2);
    expect(bad.err.join("")).toContain("line 1");
  });
});
