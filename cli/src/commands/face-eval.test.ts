import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_FACE_THRESHOLD, MATCH_RULE, MATCH_RULES } from "@kiosk/edge-server";
import { FACE_FIXTURES } from "@kiosk/edge-server/testing";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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

  test("scores capture sessions of K photos by each rule, and a second run reuses the embeddings file", async () => {
    // The dev lists' layout: chip/<person>/<n>.webp, live/<person>/<n>.jpg; photo 2 is the smiling one the chip was cut from.
    const root = join(dir, "sessions");
    const place = async (from: string, to: string) => {
      await mkdir(dirname(join(root, to)), { recursive: true });
      await copyFile(from, join(root, to));
    };
    await place(FACE_FIXTURES.chipA, "chip/A/2.webp");
    await place(FACE_FIXTURES.liveA, "live/A/1.jpg");
    await place(FACE_FIXTURES.liveASmiling, "live/A/2.jpg");
    await place(FACE_FIXTURES.chipB, "chip/B/2.webp");
    await place(FACE_FIXTURES.liveB, "live/B/1.jpg");
    await place(FACE_FIXTURES.liveBSmiling, "live/B/2.jpg");
    const pairs = ["chip/A/2.webp\tlive/A/1.jpg\t1", "chip/B/2.webp\tlive/B/1.jpg\t1", "chip/A/2.webp\tlive/B/1.jpg\t0", "chip/A/2.webp\tlive/B/2.jpg\t0", "chip/B/2.webp\tlive/A/1.jpg\t0", "chip/B/2.webp\tlive/A/2.jpg\t0"];
    await writeFile(join(root, "pairs.tsv"), `${pairs.join("\n")}\n`);
    const args = ["--pairs", "pairs.tsv", "--sessions", "2", "--workers", "2", "--embeddings", "embeddings.json", "--scores", "sessions.tsv"];

    const first = captureIo({ cwd: root });
    expect(await run(args, first.io)).toBe(0);
    expect(first.err.join("")).toBe("");
    const result = JSON.parse(first.out[0] ?? "");
    // Each chip has one genuine photo (repeated to K); each meets both photos of the other person.
    expect(result.sessions).toEqual({ frames: 2, seed: 1, genuine: 2, impostor: 2, genuineRepeated: 2, identitiesTooFewPhotos: 0 });
    expect(result.images).toEqual({ chip: 2, live: 4, embedded: 6 });
    expect(result.rule).toBe(MATCH_RULE);
    expect(Object.keys(result.rules)).toEqual([...MATCH_RULES]);
    for (const rule of MATCH_RULES) {
      expect(result.rules[rule]).toMatchObject({ genuine: 2, impostor: 2, operatingThreshold: DEFAULT_FACE_THRESHOLD, tarAtOperating: 1, farAtOperating: 0 });
    }
    const lines = (await readFile(join(root, "sessions.tsv"), "utf8")).trim().split("\n");
    expect(lines.length).toBe(4);
    const impostorLine = lines.find((line) => line.startsWith(join(root, "chip/A/2.webp")) && line.split("\t")[2] === "0") ?? "";
    expect(impostorLine.split("\t")[1]?.split(",").sort()).toEqual([join(root, "live/B/1.jpg"), join(root, "live/B/2.jpg")]);

    const second = captureIo({ cwd: root });
    expect(await run(args, second.io)).toBe(0);
    const again = JSON.parse(second.out[0] ?? "");
    expect(again.images.embedded).toBe(0);
    expect(again.rules).toEqual(result.rules);
    expect(await readFile(join(root, "sessions.tsv"), "utf8")).toBe(`${lines.join("\n")}\n`);
  }, ENGINE_TEST_TIMEOUT_MS);

  test("bad usage and a broken pairs file exit 2", async () => {
    const none = captureIo({ cwd: dir });
    expect(await run([], none.io)).toBe(2);
    expect(none.err.join("")).toContain("--pairs");
    const model = captureIo({ cwd: dir });
    expect(await run(["--pairs", "x.tsv", "--model", "arcface"], model.io)).toBe(2);
    const rule = captureIo({ cwd: dir });
    expect(await run(["--pairs", "x.tsv", "--sessions", "2", "--rule", "median"], rule.io)).toBe(2);
    expect(rule.err.join("")).toContain('Unknown --rule "median"');
    const seedAlone = captureIo({ cwd: dir });
    expect(await run(["--pairs", "x.tsv", "--seed", "3"], seedAlone.io)).toBe(2);
    expect(seedAlone.err.join("")).toContain("need --sessions K");
    await writeFile(join(dir, "embeddings.json"), '{"model":"another@1","embeddings":{}}\n');
    await writeFile(join(dir, "one.tsv"), "a.webp\tb.jpg\t1\n");
    const otherModel = captureIo({ cwd: dir });
    expect(await run(["--pairs", "one.tsv", "--embeddings", "embeddings.json"], otherModel.io)).toBe(2);
    expect(otherModel.err.join("")).toContain('holds "another@1" embeddings');
    await writeFile(join(dir, "bad.tsv"), "only-one-field\n");
    const bad = captureIo({ cwd: dir });
    expect(await run(["--pairs", "bad.tsv"], bad.io)).toBe(2);
    expect(bad.err.join("")).toContain("line 1");
  });
});
