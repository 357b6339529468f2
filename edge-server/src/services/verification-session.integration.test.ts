/**
 * One passing journey through the real parts: the `IdCardReader` reading a
 * demo card from the reader simulator over a memory link, the real chip
 * photo decoder, the real `FaceCapture` (over a scripted engine: no model
 * loads), the SQLite kiosk store and sync-down cache, and the session API
 * through `app.request`. It ends in a saved v2 record, read back from the
 * store, and a wiped session. Every log line of the journey, at debug
 * level, is checked for the card's personal data.
 */
import { systemClock, verificationResultV2Schema, type Matter, type SessionView } from "@kiosk/contracts";
import { captureLogger, sampleSignature } from "@kiosk/contracts/testing";
import { ChipPhotoDecoder, createMemoryLink, demoCardPath, IdCardReader, loadCardFile, ReaderResponder, ReaderSimulator, type PhotoDecodeResult } from "@kiosk/device";
import { ImagePhotoDecoder } from "@kiosk/device/adapters";
import { waitFor } from "@kiosk/device/testing";
import { afterEach, describe, expect, test } from "bun:test";
import { createApp } from "../app.ts";
import { composeSession } from "../compose-session.ts";
import { defaultFaceConfig } from "../face-config.ts";
import type { FaceEngine, FrameAnalysis, LiveFrame, LiveFrameSource } from "../ports.ts";
import { openTestStore, type TestStore } from "../store/testing/store-fixtures.ts";
import { FaceCapture } from "./face-capture.ts";

const MODEL = { model: "scripted@1", dims: 2 };
const HALL = "hall-7";

/** An engine that sees the card holder, frontal and well lit, in every frame: the chip's embedding and the live one agree. */
const holderEngine: FaceEngine = {
  name: "scripted-face-engine",
  model: MODEL,
  threshold: { value: 0.5, model: MODEL.model },
  start: async () => undefined,
  stop: async () => undefined,
  embedChip: async () => ({ ok: true, embedding: new Float32Array([1, 0]), box: { x: 0, y: 0, width: 102, height: 126 }, preparation: "as-is" }),
  analyze: async (_frame, options): Promise<FrameAnalysis> => ({
    width: 640,
    height: 480,
    main: {
      box: { x: 200, y: 120, width: 240, height: 240 },
      score: 0.99,
      pose: { yawDeg: 0, pitchDeg: 0, rollDeg: 0 },
      quality: { faceSizePx: 240, centreOffset: { x: 0, y: 0 }, brightness: 150, sharpness: 500, eyeOpenness: { left: 0.3, right: 0.3 } },
      liveness: { real: 0.9, live: 0.9 },
      landmarks: [],
      ...(options?.embed ? { embedding: new Float32Array([0.99, 0.14]) } : {}),
    },
    others: [],
  }),
};

/** Camera frames on demand, dated by the real clock. */
const frames: LiveFrameSource = {
  next: async (signal: AbortSignal): Promise<LiveFrame> => {
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { image: { width: 1, height: 1, data: new Uint8Array(3) }, atMs: Date.now() };
  },
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("the verification session on the real reader, store and session API", () => {
  test("a holder walks from the idle screen to a saved, signed v2 record, and the session is wiped", async () => {
    const { log, lines } = captureLogger("debug");
    const card = await loadCardFile(demoCardPath("resident"));
    const idNumber = card.card.idNumber;
    if (card.card.cardType !== "resident") throw new Error("the resident demo card is expected");
    const address = card.card.address;
    const t: TestStore = await openTestStore();
    cleanups.push(() => t.dispose());
    const matter: Matter = {
      matterId: "M-42",
      kind: "establishment",
      companyName: "示例科技有限公司",
      hallId: HALL,
      status: "open",
      persons: [{ idNumber, name: card.card.name, role: "legal-representative" }],
      updatedAt: new Date(Date.now() - 60_000).toISOString(),
    };
    await t.cache.applyPage({ kioskId: t.store.identity().kioskId, hallId: HALL, fromCursor: 0, toCursor: 1, complete: true, matters: [matter], blocklist: [], generatedAt: new Date().toISOString() }, Date.now());

    const link = createMemoryLink();
    const responder = new ReaderResponder({ card: card.simulated, cardPresent: false });
    const simulator = new ReaderSimulator({ transport: link.device, clock: systemClock, responder, pacing: false, log });
    await simulator.start();
    cleanups.push(() => simulator.stop());
    const reader = new IdCardReader({ transportFactory: () => link.host, clock: systemClock, log, pollIntervalMs: 20 });

    // The real decoder, watched: the test keeps the decoded buffer to see it overwritten.
    const decoder = new ChipPhotoDecoder({ image: new ImagePhotoDecoder() });
    const decoded: Uint8Array[] = [];
    const photos = {
      decode: async (bytes: Uint8Array): Promise<PhotoDecodeResult> => {
        const result = await decoder.decode(bytes);
        if (result.ok) decoded.push(result.photo.rgb);
        return result;
      },
    };
    const config = defaultFaceConfig();
    const face = { ...config, liveness: { ...config.liveness, mode: "passive" as const } };
    const { session, preview } = composeSession(
      { session: { timeoutScale: 1, minAgeYears: 18 }, face },
      {
        clock: systemClock,
        log,
        reader,
        photos,
        camera: { onFrame: () => () => undefined },
        capture: new FaceCapture({ engine: holderEngine, frames, settings: face, clock: systemClock, random: Math.random }),
        faceModel: holderEngine,
        syncDown: { pendingMatters: (n) => t.cache.pendingMatters(n), blocklistEntry: (n) => t.cache.blocklistEntry(n), hallId: () => t.cache.state().hallId },
        results: t.store,
        health: { camera: () => true, faceEngine: () => true, storage: () => true },
      },
    );
    await session.start();
    await preview.start();
    await reader.start();
    cleanups.push(async () => {
      await reader.stop();
      await preview.stop();
      await session.stop();
    });
    const app = createApp({
      health: () => {
        throw new Error("not used");
      },
      assets: { get: async () => undefined },
      voice: { get: async () => undefined },
      session: { hub: session, preview, clock: systemClock },
      log,
    });
    const view = async () => (await (await app.request("/api/session")).json()) as SessionView;
    const post = async (path: string, body: unknown) => {
      const response = await app.request(`/api/session/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      return (await response.json()) as SessionView;
    };
    const until = async (step: SessionView["step"]) => {
      await waitFor(() => session.view().step === step, { timeoutMs: 5_000 });
      return view();
    };

    await waitFor(() => reader.state === "waiting-for-card", { timeoutMs: 5_000 });
    await post("events", { type: "start" });
    await post("events", { type: "choose-language", language: "zh" });
    expect((await post("events", { type: "consent", agree: true })).step).toBe("place-card");
    responder.insertCard();
    const onFace = await until("face");
    expect(onFace).toMatchObject({ step: "face", card: { cardType: "resident", maskedIdNumber: `${idNumber.slice(0, 4)}********${idNumber.slice(-4)}` } });
    await until("matters");
    await waitFor(() => session.view().step === "matters" && (session.view() as { matters: unknown }).matters !== null, { timeoutMs: 5_000 });
    expect(await view()).toMatchObject({ matters: [{ matterId: "M-42", companyName: "示例科技有限公司", roles: ["legal-representative"], confirmed: false }] });
    await post("events", { type: "toggle-matter", matterId: "M-42", confirmed: true });
    expect((await post("events", { type: "confirm-matters" })).step).toBe("signature");
    const { capturedAt: _capturedAt, ...signature } = sampleSignature();
    await post("signature", signature);
    const result = await until("result");
    expect(result).toMatchObject({ step: "result", kind: "verified", outcome: "verified", referralCode: null });

    // The record, read back from the store, is the signed v2 result of this journey.
    const { epoch, nextSeq } = t.store.identity();
    expect(nextSeq).toBe(2);
    const stored = await t.store.readRecord(epoch, 1);
    expect(stored?.header).toMatchObject({ kind: "verification-result", schemaVersion: 2 });
    const body = verificationResultV2Schema.parse(JSON.parse(stored?.body ?? "null"));
    expect(body).toMatchObject({
      kioskId: t.store.identity().kioskId,
      outcome: "verified",
      card: { cardType: "resident", idNumber, name: card.card.name, sex: card.card.sex, birthDate: card.card.birthDate, validUntil: card.card.validUntil },
      matters: [{ matterId: "M-42", role: "legal-representative" }],
      face: { model: MODEL.model, threshold: 0.5, liveness: { mode: "passive", passed: true } },
      attempts: [{ outcome: "matched", reasons: [] }],
    });
    expect(body.face?.similarity).toBeGreaterThan(0.9);
    expect(body.signature?.strokes).toEqual(signature.strokes);

    // Wiped: the decoded chip photo is zeros, and the API shows nothing of the card.
    expect(decoded).toHaveLength(1);
    expect(decoded[0]?.length).toBe(102 * 126 * 3);
    expect(decoded[0]?.every((b) => b === 0)).toBe(true);
    const shown = JSON.stringify(await view());
    for (const secret of [idNumber, idNumber.slice(0, 4), idNumber.slice(-4), card.card.name]) expect(shown).not.toContain(secret);
    const logged = lines();
    expect(logged).toContain("Card read");
    for (const secret of [idNumber, idNumber.slice(-6), card.card.name, card.card.birthDate, address]) expect(logged).not.toContain(secret);
  });
});
