/**
 * The face engine with its real models on the CC BY fixture photos. One
 * engine (two workers) serves most tests; lifecycle, refusal and fault tests
 * build their own. Fault tests run the real worker with a planted fault
 * (`testdata/faulty-face-worker.ts`) and time deadlines on a fake clock.
 */
import { createLogger, isKioskError, KioskError } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { compareEmbeddings } from "../../domain/face-match.ts";
import { defaultFaceConfig, DEFAULT_FACE_MODEL_ID, type FaceConfig } from "../../face-config.ts";
import type { RgbImage } from "../../ports.ts";
import { createFaceEngine, faceEmbeddingModel } from "./create-face-engine.ts";
import { FACE_FIXTURES } from "./face-fixtures.ts";
import { decodeImage, resizeCover } from "./image-decoder.ts";
import { FAULT_WIDTHS, type WorkerFault } from "./testdata/worker-faults.ts";
import { respawnDelayMs, RESPAWN_BACKOFF, type WorkerFaceEngine } from "./worker-face-engine.ts";

const log = createLogger({ ns: "test", level: "error", sink: () => undefined });

function config(overrides: Partial<FaceConfig> = {}): FaceConfig {
  return { ...defaultFaceConfig(), workers: 2, ...overrides };
}

async function photo(path: string): Promise<RgbImage> {
  return decodeImage(new Uint8Array(await readFile(path)));
}

function copy(image: RgbImage): RgbImage {
  return { width: image.width, height: image.height, data: new Uint8Array(image.data) };
}

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** A 640×480 frame with `a` large in the centre and `b` small at the left edge. */
async function twoPeople(a: RgbImage, b: RgbImage): Promise<RgbImage> {
  const big = await resizeCover(a, 300, 300);
  const small = await resizeCover(b, 150, 150);
  const data = new Uint8Array(640 * 480 * 3).fill(110);
  for (let y = 0; y < 300; y++) data.set(big.data.subarray(y * 900, (y + 1) * 900), ((90 + y) * 640 + 170) * 3);
  for (let y = 0; y < 150; y++) data.set(small.data.subarray(y * 450, (y + 1) * 450), ((40 + y) * 640 + 5) * 3);
  return { width: 640, height: 480, data };
}

describe("WorkerFaceEngine on real models", () => {
  let engine: WorkerFaceEngine;
  const images: Record<keyof typeof FACE_FIXTURES, RgbImage> = {} as Record<keyof typeof FACE_FIXTURES, RgbImage>;

  beforeAll(async () => {
    for (const key of Object.keys(FACE_FIXTURES) as (keyof typeof FACE_FIXTURES)[]) images[key] = await photo(FACE_FIXTURES[key]);
    engine = createFaceEngine(config(), log);
    await engine.start();
  });
  afterAll(async () => {
    await engine.stop();
  });

  async function similarity(chip: RgbImage, live: RgbImage): Promise<number> {
    const [c, l] = await Promise.all([engine.embedChip(copy(chip)), engine.analyze(copy(live), { embed: true })]);
    if (!c.ok || !l.main?.embedding) throw new Error("expected a face in both fixtures");
    return compareEmbeddings(engine.model, c.embedding, l.main.embedding);
  }

  test("the default engine produces the model the shipped threshold was calibrated for", () => {
    expect(engine.model.model).toBe(DEFAULT_FACE_MODEL_ID);
    expect(engine.threshold.model).toBe(engine.model.model);
    expect(engine.runningWorkers).toBe(2);
  });

  test("the same person matches at the shipped threshold", async () => {
    expect(await similarity(images.chipA, images.liveA)).toBeGreaterThanOrEqual(engine.threshold.value);
    expect(await similarity(images.chipB, images.liveB)).toBeGreaterThanOrEqual(engine.threshold.value);
  });

  test("different people do not match", async () => {
    expect(await similarity(images.chipA, images.liveB)).toBeLessThan(engine.threshold.value);
    expect(await similarity(images.chipB, images.liveA)).toBeLessThan(engine.threshold.value);
  });

  test("a chip embedding is unit length, found as-is, with its box inside the photo", async () => {
    const chip = await engine.embedChip(copy(images.chipA));
    if (!chip.ok) throw new Error("no face in the chip fixture");
    expect(chip.embedding.length).toBe(128);
    expect(norm(chip.embedding)).toBeCloseTo(1, 4);
    expect(chip.preparation).toBe("as-is");
    expect(chip.box.x).toBeGreaterThanOrEqual(0);
    expect(chip.box.x + chip.box.width).toBeLessThanOrEqual(102 + 1);
    expect(chip.box.width).toBeGreaterThan(30);
  });

  test("a guidance analysis measures the face without embedding it", async () => {
    const frame = await engine.analyze(copy(images.liveA));
    const main = frame.main;
    if (!main) throw new Error("no face found");
    expect(main.embedding).toBeUndefined();
    expect(main.landmarks.length).toBe(478);
    expect(main.quality.faceSizePx).toBeGreaterThan(100);
    expect(main.quality.brightness).toBeGreaterThan(60);
    expect(main.quality.sharpness).toBeGreaterThan(0);
    expect(main.quality.eyeOpenness.left).toBeGreaterThan(0.15);
    expect(Math.abs(main.quality.centreOffset.x)).toBeLessThan(0.2);
    expect(Math.abs(main.pose.yawDeg)).toBeLessThan(20);
    expect(main.liveness.real).toBeGreaterThan(0);
    expect(main.liveness.real).toBeLessThanOrEqual(1);
    expect(main.liveness.live).toBeGreaterThan(0);
    expect(frame.others).toEqual([]);
  });

  test("only the main face is embedded; a bystander is located but never identified", async () => {
    const frame = await engine.analyze(await twoPeople(images.liveA, images.liveB), { embed: true });
    expect(frame.others.length).toBe(1);
    const bystander = frame.others[0] as unknown as Record<string, unknown>;
    expect(bystander.embedding).toBeUndefined();
    expect(bystander.landmarks).toBeUndefined();
    expect((frame.others[0]?.box.x ?? 999) < 100).toBe(true);
    const chip = await engine.embedChip(copy(images.chipA));
    if (!chip.ok || !frame.main?.embedding) throw new Error("expected faces");
    // The main face is person A in the centre.
    expect(compareEmbeddings(engine.model, chip.embedding, frame.main.embedding)).toBeGreaterThanOrEqual(engine.threshold.value);
  });

  test("a frame or chip without a face gives no main face and no-face", async () => {
    const blank = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(128) };
    const frame = await engine.analyze(copy(blank), { embed: true });
    expect(frame.main).toBeUndefined();
    expect(frame.others).toEqual([]);
    expect(await engine.embedChip({ width: 102, height: 126, data: new Uint8Array(102 * 126 * 3).fill(200) })).toEqual({ ok: false, reason: "no-face" });
  });

  test("an aborted call rejects at once as face-engine-aborted, and the engine serves the next call", async () => {
    const controller = new AbortController();
    const call = engine.analyze(copy(images.liveA), { embed: true, signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(new Error("applicant left"));
    const error = await call;
    expect(isKioskError(error, "face-engine-aborted")).toBe(true);
    expect((error as KioskError).message).toBe('The face engine call "analyze" was aborted');
    expect(isKioskError(await engine.embedChip(copy(images.chipA), { signal: controller.signal }).catch((e: unknown) => e), "face-engine-aborted")).toBe(true);
    expect((await engine.analyze(copy(images.liveA))).main).toBeDefined();
  });

  test("a malformed image is refused before it reaches a worker", () => {
    expect(() => engine.analyze({ width: 10, height: 10, data: new Uint8Array(5) })).toThrow(RangeError);
  });
});

describe("WorkerFaceEngine with face-api's 68-point alignment (comparison model)", () => {
  test("aligns with the landmark net and still tells the same person from another", async () => {
    const base = config({ model: "face-api-68", workers: 1 });
    const model = faceEmbeddingModel(base).model;
    expect(model).toContain("face-api-landmark68");
    const engine = createFaceEngine({ ...base, threshold: { value: 0.9, model } }, log);
    await engine.start();
    try {
      const [chipA, liveA, liveB] = await Promise.all([photo(FACE_FIXTURES.chipA), photo(FACE_FIXTURES.liveA), photo(FACE_FIXTURES.liveB)]);
      const chip = await engine.embedChip(chipA);
      const same = await engine.analyze(liveA, { embed: true });
      const other = await engine.analyze(liveB, { embed: true });
      if (!chip.ok || !same.main?.embedding || !other.main?.embedding) throw new Error("expected faces in the fixtures");
      expect(compareEmbeddings(engine.model, chip.embedding, same.main.embedding)).toBeGreaterThan(compareEmbeddings(engine.model, chip.embedding, other.main.embedding) + 0.02);
    } finally {
      await engine.stop();
    }
   }, 30_000);
});

describe("WorkerFaceEngine lifecycle and refusals", () => {
  test("start, analyze, stop: no worker survives, and later calls are refused", async () => {
    const engine = createFaceEngine(config({ workers: 1 }), log);
    expect(engine.runningWorkers).toBe(0);
    await engine.start();
    expect(engine.runningWorkers).toBe(1);
    expect(engine.loadMs).toBeGreaterThan(0);
    expect((await engine.analyze(await photo(FACE_FIXTURES.liveB))).main).toBeDefined();
    await engine.stop();
    expect(engine.runningWorkers).toBe(0);
    const late = await engine.analyze(await photo(FACE_FIXTURES.liveB)).catch((e: unknown) => e);
    expect(isKioskError(late, "shutting-down")).toBe(true);
    await engine.stop();
  });

  test("requests beyond the queue limit are refused as overloaded, the others complete", async () => {
    const engine = createFaceEngine(config({ workers: 1, maxQueued: 0 }), log);
    await engine.start();
    try {
      const frame = await photo(FACE_FIXTURES.liveA);
      const first = engine.analyze(copy(frame));
      const second = await engine.analyze(copy(frame)).catch((e: unknown) => e);
      expect(isKioskError(second, "overloaded")).toBe(true);
      expect((await first).main).toBeDefined();
    } finally {
      await engine.stop();
    }
  });

  test("refuses a threshold calibrated for another model, before starting any worker", async () => {
    const engine = createFaceEngine(config({ threshold: { value: 0.5, model: "human-faceres@3.3.6" } }), log);
    const error = await engine.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KioskError);
    expect((error as KioskError).code).toBe("config-invalid");
    expect((error as KioskError).message).toContain('calibrated for "human-faceres@3.3.6"');
    expect(engine.runningWorkers).toBe(0);
  });

  test("refuses a model choice the default threshold was not calibrated for", async () => {
    const engine = createFaceEngine(config({ model: "faceres" }), log);
    expect(faceEmbeddingModel(config({ model: "faceres" })).model).not.toBe(DEFAULT_FACE_MODEL_ID);
    expect(isKioskError(await engine.start().catch((e: unknown) => e), "config-invalid")).toBe(true);
  });

  test("refuses a worker that came up on a backend other than WASM, and stops it", async () => {
    const engine = createFaceEngine(config({ workers: 2 }), log, { workerUrl: new URL("./testdata/fake-cpu-worker.ts", import.meta.url) });
    const error = await engine.start().catch((e: unknown) => e);
    expect(isKioskError(error, "missing-dependency")).toBe(true);
    expect((error as KioskError).message).toContain('came up on "cpu"');
    expect(engine.runningWorkers).toBe(0);
  });

  test("fails loudly when the WASM binaries cannot be loaded", async () => {
    const engine = createFaceEngine(config({ workers: 1 }), log, { paths: { wasmDir: "/nonexistent/tfjs-wasm/" } });
    const error = await engine.start().catch((e: unknown) => e);
    expect(isKioskError(error, "missing-dependency")).toBe(true);
    expect(engine.runningWorkers).toBe(0);
  });
});

describe("WorkerFaceEngine with a worker that hangs or dies", () => {
  const FAULTY_WORKER = new URL("./testdata/faulty-face-worker.ts", import.meta.url);
  const FAULT_TEST_MS = 120_000;
  const callTimeoutMs = defaultFaceConfig().callTimeoutMs;
  let live: RgbImage;

  beforeAll(async () => {
    live = await photo(FACE_FIXTURES.liveB);
  });

  function faultFrame(fault: WorkerFault): RgbImage {
    const width = FAULT_WIDTHS[fault];
    return { width, height: width, data: new Uint8Array(width * width * 3).fill(120) };
  }

  /** Waits (real time: a replacement loads real models) until `condition` holds. */
  async function until(condition: () => boolean): Promise<void> {
    const giveUpAt = Date.now() + FAULT_TEST_MS / 2;
    while (!condition()) {
      if (Date.now() > giveUpAt) throw new Error("Condition not met in time");
      await Bun.sleep(25);
    }
  }

  test("a hung worker's call fails as face-engine-timeout at the deadline; the other worker serves meanwhile; the hung one is replaced", async () => {
    const clock = new FakeClock();
    const engine = createFaceEngine(config({ workers: 2 }), log, { workerUrl: FAULTY_WORKER, clock });
    await engine.start();
    try {
      let settled = false;
      const hung = engine.analyze(faultFrame("hang")).catch((e: unknown) => e).finally(() => (settled = true));
      expect((await engine.analyze(copy(live))).main).toBeDefined();
      await clock.advance(callTimeoutMs - 1);
      expect(settled).toBe(false);
      expect(engine.health()).toMatchObject({ status: "ok", workers: 2 });
      await clock.advance(1);
      const error = await hung;
      expect(isKioskError(error, "face-engine-timeout")).toBe(true);
      expect((error as KioskError).message).toBe(`The face engine did not answer "analyze" within ${callTimeoutMs} ms`);
      expect(engine.health()).toMatchObject({ status: "degraded", workers: 1, configuredWorkers: 2, restarts: 1 });
      await until(() => engine.runningWorkers === 2);
      expect(engine.health()).toMatchObject({ status: "ok", workers: 2, configuredWorkers: 2, restarts: 1 });
      const [a, b] = await Promise.all([engine.analyze(copy(live)), engine.analyze(copy(live))]);
      expect(a.main).toBeDefined();
      expect(b.main).toBeDefined();
    } finally {
      await engine.stop();
    }
  }, FAULT_TEST_MS);

  for (const fault of ["exit", "throw"] as const) {
    test(`a worker that dies (${fault}) fails its call as face-engine-crashed at once; the call queued behind it is served by the replacement`, async () => {
      const clock = new FakeClock();
      const engine = createFaceEngine(config({ workers: 1 }), log, { workerUrl: FAULTY_WORKER, clock });
      await engine.start();
      try {
        const dying = engine.analyze(faultFrame(fault)).catch((e: unknown) => e);
        const queued = engine.analyze(copy(live));
        const error = await dying;
        expect(isKioskError(error, "face-engine-crashed")).toBe(true);
        expect((error as KioskError).message).toContain('while handling "analyze": it is replaced');
        expect(engine.health()).toMatchObject({ status: "degraded", workers: 0, configuredWorkers: 1, restarts: 1 });
        expect((await queued).main).toBeDefined();
        expect(engine.health()).toMatchObject({ status: "ok", workers: 1, configuredWorkers: 1, restarts: 1 });
        expect((await engine.analyze(copy(live))).main).toBeDefined();
      } finally {
        await engine.stop();
      }
    }, FAULT_TEST_MS);
  }

  test("a replacement that misses its start deadline is retried after a doubling back-off, and the pool recovers", async () => {
    const clock = new FakeClock();
    const { startTimeoutMs } = defaultFaceConfig();
    const engine = createFaceEngine(config({ workers: 1 }), log, { workerUrl: FAULTY_WORKER, clock });
    await engine.start();
    try {
      expect(isKioskError(await engine.analyze(faultFrame("exit")).catch((e: unknown) => e), "face-engine-crashed")).toBe(true);
      // The fake clock runs no worker messages, so each replacement is still loading when its start deadline passes.
      for (const [attempt, backoffMs] of [[1, RESPAWN_BACKOFF.baseMs], [2, 2 * RESPAWN_BACKOFF.baseMs]] as const) {
        await clock.advance(startTimeoutMs);
        await clock.advance(backoffMs - 1);
        expect(engine.health()).toMatchObject({ status: "degraded", workers: 0, restarts: attempt });
        await clock.advance(1);
        expect(engine.health()).toMatchObject({ status: "degraded", workers: 0, restarts: attempt + 1 });
      }
      await until(() => engine.runningWorkers === 1);
      expect(engine.health()).toMatchObject({ status: "ok", workers: 1, restarts: 3 });
      expect((await engine.analyze(copy(live))).main).toBeDefined();
    } finally {
      await engine.stop();
    }
  }, FAULT_TEST_MS);

  test("the back-off doubles from its base up to its cap", () => {
    expect(respawnDelayMs(0)).toBe(0);
    expect([1, 2, 3, 4].map(respawnDelayMs)).toEqual([1, 2, 4, 8].map((k) => k * RESPAWN_BACKOFF.baseMs));
    expect(respawnDelayMs(1_000)).toBe(RESPAWN_BACKOFF.capMs);
  });
});
