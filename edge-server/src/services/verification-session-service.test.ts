/**
 * The session shell with fake ports and a fake clock: every effect the
 * machine asks for is carried out, device faults take the kiosk out of
 * service and back, and a session's private data is overwritten when it ends.
 */
import { KioskError, seededRandom, verificationResultV2Schema, type Matter, type SessionPrompt, type SessionView, type VerificationResult } from "@kiosk/contracts";
import { captureLogger, FakeClock, sampleSignature } from "@kiosk/contracts/testing";
import { TypedEvents, type CardText, type PhotoDecodeResult, type ReaderEventMap } from "@kiosk/device";
import { describe, expect, test } from "bun:test";
import { VerificationSession } from "../domain/verification-session.ts";
import { sessionSettings } from "../session-config.ts";
import type { BlocklistEntry } from "../sync-down/sync-cache.ts";
import type { RgbImage } from "../ports.ts";
import type { CaptureOutcome, CaptureRunOptions } from "./face-capture.ts";
import { VerificationSessionService } from "./verification-session-service.ts";

const START_MS = Date.parse("2026-03-01T08:00:00.000Z");
const ID_NUMBER = "11010519491231002X";
const HALL = "hall-7";
const MODEL = { model: "fake-model@1", dims: 2 };

const CARD: CardText = {
  cardType: "resident",
  name: "欧阳娜娜",
  sex: "female",
  ethnicityCode: "01",
  birthDate: "1949-12-31",
  address: "北京市西城区",
  idNumber: ID_NUMBER,
  issuer: "北京市公安局西城分局",
  validFrom: "2016-01-01",
  validUntil: "long-term",
};

function matter(id: string, updatedAt = "2026-02-28T08:00:00.000Z"): Matter {
  return {
    matterId: id,
    hallId: HALL,
    companyName: `Company ${id}`,
    kind: "establishment",
    status: "open",
    updatedAt,
    persons: [{ idNumber: ID_NUMBER, role: "legal-representative" }],
  } as Matter;
}

/** A face capture the test ends by hand. */
class FakeCapture {
  readonly runs: { photo: RgbImage; options: CaptureRunOptions; finish: (outcome: CaptureOutcome) => void; fail: (error: unknown) => void }[] = [];

  run(photo: RgbImage, options: CaptureRunOptions): Promise<CaptureOutcome> {
    return new Promise((resolve, reject) => {
      this.runs.push({ photo, options, finish: resolve, fail: reject });
      options.signal?.addEventListener("abort", () => resolve({ outcome: "cancelled", frames: 0 }));
    });
  }

  get last() {
    const run = this.runs.at(-1);
    if (!run) throw new Error("no capture ran");
    return run;
  }
}

const MATCHED: CaptureOutcome = { outcome: "matched", decision: { match: true, similarity: 0.8, threshold: 0.5, margin: 0.3 }, frames: 20 };
const NOT_MATCHED: CaptureOutcome = { outcome: "not-matched", decision: { match: false, similarity: 0.2, threshold: 0.5, margin: -0.3 }, frames: 20 };

function setup(options: { blocklist?: BlocklistEntry; matters?: Matter[]; timeoutScale?: number } = {}) {
  const clock = new FakeClock(START_MS);
  const { log, lines } = captureLogger("debug");
  const reader = new TypedEvents<ReaderEventMap>(log);
  let readAgainCalls = 0;
  const photoBuffers: Uint8Array[] = [];
  let photoOk = true;
  const capture = new FakeCapture();
  const saved: VerificationResult[] = [];
  let saveFails = false;
  let pendingSave: (() => void) | undefined;
  let holdSaves = false;
  const health = { camera: true, faceEngine: true, storage: true };
  let ids = 0;
  const machine = new VerificationSession({
    settings: sessionSettings({ timeoutScale: options.timeoutScale ?? 1 }),
    random: seededRandom(7),
    newSessionId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`,
  });
  const service = new VerificationSessionService({
    machine,
    clock,
    log,
    reader: {
      on: (owner, event, listener) => reader.on(owner, event, listener),
      off: (owner) => reader.off(owner),
      readAgain: () => {
        readAgainCalls++;
      },
    },
    photos: {
      decode: async (): Promise<PhotoDecodeResult> => {
        if (!photoOk) return { ok: false, code: "image-decode-failed", message: "bad photo" };
        const rgb = new Uint8Array(102 * 126 * 3).fill(200);
        photoBuffers.push(rgb);
        return { ok: true, photo: { format: "jpeg", width: 102, height: 126, rgb } };
      },
    },
    capture,
    faceModel: { model: MODEL, threshold: { value: 0.5, model: MODEL.model } },
    syncDown: {
      pendingMatters: async () => options.matters ?? [matter("m-1"), matter("m-2")],
      blocklistEntry: async () => options.blocklist ?? { listed: false, reason: null },
      hallId: () => HALL,
    },
    results: {
      identity: () => ({ kioskId: "hall-7-k1" }),
      saveResult: (result) => {
        if (saveFails) return Promise.reject(new KioskError("store-full", "Storage is above its hard watermark"));
        verificationResultV2Schema.parse(result);
        saved.push(structuredClone(result));
        if (!holdSaves) return Promise.resolve();
        return new Promise<void>((resolve) => {
          pendingSave = resolve;
        });
      },
    },
    health: { camera: () => health.camera, faceEngine: () => health.faceEngine, storage: () => health.storage },
    settings: { minAgeYears: 18, livenessMode: "both" },
  });
  const views: SessionView[] = [];
  const prompts: SessionPrompt[] = [];
  service.subscribe(
    (v) => views.push(v),
    (p) => prompts.push(p),
  );
  const settle = () => clock.advance(0);
  const at = {
    clock,
    service,
    reader,
    capture,
    saved,
    views,
    prompts,
    photoBuffers,
    health,
    lines,
    settle,
    step: () => service.view().step,
    readAgainCalls: () => readAgainCalls,
    failSaves: () => {
      saveFails = true;
    },
    holdSaves: () => {
      holdSaves = true;
    },
    releaseSave: () => pendingSave?.(),
    badPhoto: () => {
      photoOk = false;
    },
    /** Applicant events from idle to the place-card screen. */
    async toPlaceCard() {
      await service.start();
      for (const event of [{ type: "start" }, { type: "choose-language", language: "zh" }, { type: "consent", agree: true }] as const) {
        expect(service.send(event)).toBeNull();
      }
      expect(at.step()).toBe("place-card");
    },
    /** Places and reads `card`. */
    async readCard(card: CardText = CARD) {
      reader.emit("card-inserted", { atMs: clock.now() });
      expect(at.step()).toBe("reading");
      reader.emit("card-read", { identity: { card, photo: { format: "jpeg", bytes: new Uint8Array(1024) }, fingerprint: new Uint8Array(0), layout: "base" }, photo: new Uint8Array(1024), foundAtMs: clock.now(), atMs: clock.now() });
      await settle();
    },
  };
  return at;
}

describe("VerificationSessionService: a passing journey", () => {
  test("card, face, matters and signature end in one saved v2 result with the signature, then the session is wiped", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    expect(s.step()).toBe("face");
    // The capture got a copy of the chip photo, not the held buffer.
    expect(s.capture.last.photo.data).not.toBe(s.photoBuffers[0]);
    s.capture.last.options.onUpdate?.({ type: "challenge", action: "blink", step: 0, of: 1 });
    expect(s.service.view()).toMatchObject({ step: "face", challenge: { action: "blink", step: 0, of: 1 } });
    expect(s.prompts.at(-1)).toEqual({ key: "challenge-blink", language: "zh" });
    s.capture.last.finish(MATCHED);
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "matters", matters: [{ matterId: "m-1" }, { matterId: "m-2" }] });
    expect(s.service.send({ type: "toggle-matter", matterId: "m-2", confirmed: true })).toBeNull();
    expect(s.service.send({ type: "confirm-matters" })).toBeNull();
    expect(s.step()).toBe("signature");
    const signature = sampleSignature();
    expect(s.service.sign(signature)).toBeNull();
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", kind: "verified", outcome: "verified" });
    expect(s.saved).toHaveLength(1);
    const result = s.saved[0] as VerificationResult;
    expect(result).toMatchObject({
      kioskId: "hall-7-k1",
      outcome: "verified",
      card: { idNumber: ID_NUMBER, name: "欧阳娜娜", cardType: "resident", validUntil: "long-term" },
      matters: [{ matterId: "m-2", role: "legal-representative" }],
      face: { model: MODEL.model, threshold: 0.5, similarity: 0.8, liveness: { mode: "both", passed: true, actions: ["blink"] } },
      attempts: [{ outcome: "matched", reasons: [] }],
    });
    expect(result.signature?.strokes).toEqual(sampleSignature().strokes);
    // Wiped: the chip photo and the signature's strokes are zeros, the view names no card.
    expect(s.photoBuffers[0]?.every((b) => b === 0)).toBe(true);
    expect(signature.strokes.flat().every((v) => v === 0)).toBe(true);
    expect(JSON.stringify(s.service.view())).not.toContain(ID_NUMBER.slice(-4));
    expect(s.service.send({ type: "done" })).toBeNull();
    expect(s.step()).toBe("idle");
    expect(s.lines()).not.toContain(ID_NUMBER);
    expect(s.lines()).not.toContain("欧阳娜娜");
  });

  test("a capture whose engine took the photo's pixels to a worker (a detached buffer) still ends its attempt", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    const pixels = s.capture.last.photo.data;
    const buffer = pixels.buffer as ArrayBuffer;
    structuredClone(buffer, { transfer: [buffer] });
    expect(pixels.byteLength).toBe(0);
    s.capture.last.finish(MATCHED);
    await s.settle();
    expect(s.step()).toBe("matters");
  });

  test("the result screen shows only after the commit resolves", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    s.capture.last.finish(NOT_MATCHED);
    await s.settle();
    s.holdSaves();
    expect(s.service.send({ type: "ask-for-staff" })).toBeNull();
    await s.settle();
    expect(s.step()).toBe("saving");
    s.releaseSave();
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", outcome: "face-mismatch", attemptFailures: ["not-same-person"] });
    expect(s.saved[0]).toMatchObject({ outcome: "face-mismatch", attempts: [{ outcome: "not-matched", reasons: [] }], face: { similarity: 0.2 } });
    expect(s.saved[0]?.signature).toBeUndefined();
  });

  test("three failed attempts end in a referral with each reason recorded", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    s.capture.last.finish({ outcome: "not-live", liveness: { live: false, reason: "wrong-action" }, frames: 9 });
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "face-retry", reason: "liveness-not-passed" });
    s.service.send({ type: "retry-face" });
    s.capture.last.finish({ outcome: "timed-out", guidance: "too-dark", challenge: undefined, frames: 30 });
    await s.settle();
    s.service.send({ type: "retry-face" });
    s.capture.last.finish(NOT_MATCHED);
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", kind: "referral", outcome: "liveness-failed" });
    expect(s.saved[0]?.attempts).toEqual([
      { outcome: "not-live", reasons: ["wrong-action"] },
      { outcome: "timed-out", reasons: ["too-dark"] },
      { outcome: "not-matched", reasons: [] },
    ]);
    expect(s.capture.runs).toHaveLength(3);
  });

  test("a person with no pending matter gets a no-pending-matter result", async () => {
    const s = setup({ matters: [matter("old", "2026-01-01T00:00:00.000Z")] });
    await s.toPlaceCard();
    await s.readCard();
    s.capture.last.finish(MATCHED);
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", outcome: "no-pending-matter" });
    expect(s.saved[0]).toMatchObject({ outcome: "no-pending-matter", matters: [] });
  });
});

describe("VerificationSessionService: cards", () => {
  test("a blocklisted card is refused with its reason and saved as card-rejected", async () => {
    const s = setup({ blocklist: { listed: true, reason: "stolen" } });
    await s.toPlaceCard();
    await s.readCard();
    expect(s.service.view()).toMatchObject({ step: "result", outcome: "card-rejected", cardRejections: ["reported-stolen"] });
    expect(s.saved[0]).toMatchObject({ outcome: "card-rejected" });
    expect(s.capture.runs).toHaveLength(0);
    expect(s.photoBuffers[0]?.every((b) => b === 0)).toBe(true);
  });

  test("an expired card and an undecodable photo are both named", async () => {
    const s = setup();
    s.badPhoto();
    await s.toPlaceCard();
    await s.readCard({ ...CARD, validUntil: "2025-12-31" });
    expect(s.service.view()).toMatchObject({ step: "result", cardRejections: ["expired", "photo-undecodable"] });
  });

  test("a card placed while none is wanted is ignored", async () => {
    const s = setup();
    await s.service.start();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    expect(s.step()).toBe("idle");
  });

  test("a card placed before the kiosk wants it is asked to be read again when the place-card screen opens", async () => {
    const s = setup();
    await s.service.start();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    expect(s.readAgainCalls()).toBe(0);
    await s.toPlaceCard();
    expect(s.readAgainCalls()).toBe(1);
    await s.readCard();
    expect(s.step()).toBe("face");
  });

  test("a card placed before the kiosk wanted it that the reader cannot read again asks to be placed again, once", async () => {
    const s = setup();
    await s.toPlaceCard();
    s.reader.emit("card-reread-required", { reason: "hidden-after-read", atMs: s.clock.now() });
    expect(s.service.view()).toMatchObject({ step: "place-card", notice: "read-failed" });
    const prompts = s.prompts.length;
    s.reader.emit("card-reread-required", { reason: "read-failed", atMs: s.clock.now() });
    expect(s.prompts).toHaveLength(prompts);
  });

  test("after a read, a reader that hides the card says so: that changes nothing while the card is examined", async () => {
    const s = setup();
    await s.toPlaceCard();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    s.reader.emit("card-reread-required", { reason: "hidden-after-read", atMs: s.clock.now() });
    expect(s.step()).toBe("reading");
  });

  test("a card found just before the kiosk wanted it, and read just after, is taken", async () => {
    const s = setup();
    await s.service.start();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    await s.toPlaceCard();
    s.reader.emit("card-read", { identity: { card: CARD, photo: { format: "jpeg", bytes: new Uint8Array(1024) }, fingerprint: new Uint8Array(0), layout: "base" }, photo: new Uint8Array(1024), foundAtMs: s.clock.now(), atMs: s.clock.now() });
    await s.settle();
    expect(s.step()).toBe("face");
  });

  test("a card removed mid-read asks for it again, and the late read is dropped and overwritten", async () => {
    const s = setup();
    await s.toPlaceCard();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    s.reader.emit("card-read", { identity: { card: CARD, photo: { format: "jpeg", bytes: new Uint8Array(1024) }, fingerprint: new Uint8Array(0), layout: "base" }, photo: new Uint8Array(1024), foundAtMs: 0, atMs: 0 });
    s.reader.emit("card-removed", { reason: "removed", atMs: s.clock.now() });
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "place-card", notice: "card-removed-early" });
    expect(s.photoBuffers[0]?.every((b) => b === 0)).toBe(true);
  });

  test("a failed read reported twice by the reader counts once", async () => {
    const s = setup();
    await s.toPlaceCard();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    s.reader.emit("reader-error", { code: "card-read-failed", message: "moved", retryable: true, atMs: s.clock.now() });
    s.reader.emit("card-reread-required", { reason: "read-failed", atMs: s.clock.now() });
    expect(s.service.view()).toMatchObject({ step: "place-card", notice: "read-failed" });
    expect(s.prompts.filter((p) => p.key === "place-card-read-failed")).toHaveLength(1);
  });

  test("an unparseable card ends with unsupported-card and saves nothing (no card to record)", async () => {
    const s = setup();
    await s.toPlaceCard();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    s.reader.emit("reader-error", { code: "card-unreadable", message: "unknown layout", retryable: false, atMs: s.clock.now() });
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", cardRejections: ["unsupported-card"] });
    expect(s.saved).toHaveLength(0);
  });

  test("removing the card on the face step abandons the session: saved as abandoned, capture stopped, wiped", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    const run = s.capture.last;
    s.reader.emit("card-removed", { reason: "removed", atMs: s.clock.now() });
    await s.settle();
    expect(run.options.signal?.aborted).toBe(true);
    expect(s.step()).toBe("idle");
    expect(s.saved[0]).toMatchObject({ outcome: "abandoned", attempts: [] });
    expect(s.photoBuffers[0]?.every((b) => b === 0)).toBe(true);
  });
});

describe("VerificationSessionService: endings", () => {
  test("declining consent ends with a referral and saves nothing", async () => {
    const s = setup();
    await s.service.start();
    s.service.send({ type: "start" });
    s.service.send({ type: "choose-language", language: "en" });
    expect(s.service.send({ type: "consent", agree: false })).toBeNull();
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", outcome: "declined", kind: "referral", language: "en" });
    expect(s.saved).toHaveLength(0);
  });

  test("an idle timeout on the signature step saves abandoned and wipes, with a countdown published every second", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    s.capture.last.finish(MATCHED);
    await s.settle();
    s.service.send({ type: "toggle-matter", matterId: "m-1", confirmed: true });
    s.service.send({ type: "confirm-matters" });
    const before = s.views.length;
    await s.clock.advance(120_000);
    expect(s.service.view()).toMatchObject({ step: "signature", countdown: { warning: true, secondsLeft: 30 } });
    expect(s.prompts.at(-1)?.key).toBe("timeout-warning");
    await s.clock.advance(10_000);
    const countdowns = s.views.slice(before).flatMap((v) => (v.countdown ? [v.countdown.secondsLeft] : []));
    expect(countdowns.slice(-11)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20]);
    await s.clock.advance(20_000);
    expect(s.step()).toBe("idle");
    expect(s.saved[0]).toMatchObject({ outcome: "abandoned", matters: [] });
    expect(s.saved[0]?.signature).toBeUndefined();
    expect(s.photoBuffers[0]?.every((b) => b === 0)).toBe(true);
  });

  test("a signature outside the signature step is refused and overwritten", async () => {
    const s = setup();
    await s.service.start();
    const signature = sampleSignature();
    expect(s.service.sign(signature)).toMatchObject({ code: "not-in-step", step: "idle" });
    expect(signature.strokes.flat().every((v) => v === 0)).toBe(true);
  });
});

describe("VerificationSessionService: device faults", () => {
  test("the reader lost mid-session takes the kiosk out of service, and its return brings it back", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    s.reader.emit("card-removed", { reason: "reader-disconnected", atMs: s.clock.now() });
    s.reader.emit("device-lost", { unavailableForMs: 3000, atMs: s.clock.now() });
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["reader"] });
    expect(s.saved[0]).toMatchObject({ outcome: "abandoned" });
    expect(s.service.send({ type: "start" })).toMatchObject({ code: "not-in-step" });
    s.reader.emit("reader-ready", { description: "memory", atMs: s.clock.now() });
    expect(s.step()).toBe("idle");
  });

  test("a SAM failure is a reader fault", async () => {
    const s = setup();
    await s.service.start();
    s.reader.emit("reader-error", { code: "sam-failed", message: "SAM", retryable: false, atMs: s.clock.now() });
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["reader"] });
  });

  test("camera, face engine and storage are polled: each fault shows, and the kiosk returns when all clear", async () => {
    const s = setup();
    await s.service.start();
    s.health.camera = false;
    s.health.storage = false;
    await s.clock.advance(1000);
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["camera", "storage"] });
    s.health.camera = true;
    await s.clock.advance(1000);
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["storage"] });
    s.health.storage = true;
    s.health.faceEngine = false;
    await s.clock.advance(1000);
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["face-engine"] });
    s.health.faceEngine = true;
    await s.clock.advance(1000);
    expect(s.step()).toBe("idle");
  });

  test("a face engine that fails mid-capture is a face-engine fault", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    s.capture.last.fail(new KioskError("face-engine-crashed", "Face worker exited"));
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["face-engine"] });
    expect(s.saved[0]).toMatchObject({ outcome: "abandoned" });
  });

  test("a refused save is a storage fault; the next poll that finds storage accepting brings the kiosk back", async () => {
    const s = setup();
    await s.toPlaceCard();
    await s.readCard();
    s.capture.last.finish(NOT_MATCHED);
    await s.settle();
    s.failSaves();
    s.service.send({ type: "ask-for-staff" });
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "out-of-service", faults: ["storage"] });
    expect(s.photoBuffers[0]?.every((b) => b === 0)).toBe(true);
    await s.clock.advance(1000);
    expect(s.step()).toBe("idle");
  });
});

describe("VerificationSessionService: nonsense never wedges it", () => {
  test("a burst of out-of-order events on every step is refused, changes nothing, and the journey still completes", async () => {
    const s = setup();
    const nonsense = [
      { type: "done" },
      { type: "retry-face" },
      { type: "confirm-matters" },
      { type: "toggle-matter", matterId: "nope", confirmed: true },
      { type: "consent", agree: true },
      { type: "choose-language", language: "en" },
      { type: "start" },
    ] as const;
    const burst = (signable = false) => {
      const before = JSON.stringify(s.service.view());
      for (const event of nonsense) expect(s.service.send(event)).not.toBeNull();
      if (!signable) expect(s.service.sign(sampleSignature())).not.toBeNull();
      expect(JSON.stringify(s.service.view())).toBe(before);
    };
    await s.toPlaceCard();
    burst();
    s.reader.emit("card-inserted", { atMs: s.clock.now() });
    burst();
    s.reader.emit("card-read", { identity: { card: CARD, photo: { format: "jpeg", bytes: new Uint8Array(1024) }, fingerprint: new Uint8Array(0), layout: "base" }, photo: new Uint8Array(1024), foundAtMs: 0, atMs: 0 });
    await s.settle();
    expect(s.step()).toBe("face");
    burst();
    s.capture.last.finish(MATCHED);
    await s.settle();
    expect(s.step()).toBe("matters");
    burst();
    s.service.send({ type: "toggle-matter", matterId: "m-1", confirmed: true });
    s.service.send({ type: "confirm-matters" });
    expect(s.step()).toBe("signature");
    burst(true);
    expect(s.service.sign(sampleSignature())).toBeNull();
    await s.settle();
    expect(s.service.view()).toMatchObject({ step: "result", outcome: "verified" });
    expect(s.saved).toHaveLength(1);
  });
});
