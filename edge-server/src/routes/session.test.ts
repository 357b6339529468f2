/**
 * The session API through `app.request`: a real session service over fake
 * ports and a fake clock, the real camera preview over a fake camera.
 */
import { createLogger, problemSchema, seededRandom, SESSION_API_MAX_BODY_BYTES, sessionViewSchema, type Matter, type PreviewFrame } from "@kiosk/contracts";
import { FakeClock, sampleSignature } from "@kiosk/contracts/testing";
import { TypedEvents, type CameraFrame, type ReaderEventMap } from "@kiosk/device";
import { describe, expect, test } from "bun:test";
import { createApp } from "../app.ts";
import { VerificationSession } from "../domain/verification-session.ts";
import { CameraPreview } from "../services/camera-preview.ts";
import { SESSION_STREAM_KEEPALIVE_MS } from "./session.ts";
import type { CaptureOutcome, CaptureRunOptions } from "../services/face-capture.ts";
import { VerificationSessionService } from "../services/verification-session-service.ts";

const ID_NUMBER = "11010519491231002X";
const log = createLogger({ ns: "test", level: "error", sink: () => undefined });

function harness() {
  const clock = new FakeClock(Date.parse("2026-03-01T08:00:00.000Z"));
  const reader = new TypedEvents<ReaderEventMap>(log);
  const captures: { options: CaptureRunOptions; finish: (o: CaptureOutcome) => void }[] = [];
  const frameListeners = new Set<(frame: CameraFrame) => void>();
  const saved: unknown[] = [];
  const service = new VerificationSessionService({
    machine: new VerificationSession({ random: seededRandom(3), newSessionId: () => crypto.randomUUID() }),
    clock,
    log,
    reader: { on: (owner, event, listener) => reader.on(owner, event, listener), off: (owner) => reader.off(owner), readAgain: () => undefined },
    photos: { decode: async () => ({ ok: true, photo: { format: "jpeg", width: 102, height: 126, rgb: new Uint8Array(102 * 126 * 3) } }) },
    capture: {
      run: (_photo, options) =>
        new Promise((resolve) => {
          captures.push({ options, finish: resolve });
          options.signal?.addEventListener("abort", () => resolve({ outcome: "cancelled", frames: 0 }));
        }),
    },
    faceModel: { model: { model: "fake@1", dims: 2 }, threshold: { value: 0.5, model: "fake@1" } },
    syncDown: {
      pendingMatters: async () =>
        [{ matterId: "m-1", hallId: "hall-7", companyName: "Acme", kind: "establishment", status: "open", updatedAt: "2026-02-28T00:00:00.000Z", persons: [{ idNumber: ID_NUMBER, role: "shareholder" }] }] as Matter[],
      blocklistEntry: async () => ({ listed: false, reason: null }),
      hallId: () => "hall-7",
    },
    results: {
      identity: () => ({ kioskId: "hall-7-k1" }),
      saveResult: async (r) => {
        saved.push(r);
      },
    },
    health: { camera: () => true, faceEngine: () => true, storage: () => true },
    settings: { minAgeYears: 0, livenessMode: "passive" },
    onAnalysis: (info) => preview.analysed(info),
  });
  const preview = new CameraPreview({ camera: { onFrame: (l) => (frameListeners.add(l), () => frameListeners.delete(l)) }, hub: service, log });
  const app = createApp({
    health: () => {
      throw new Error("not used");
    },
    assets: { get: async () => undefined },
    voice: { get: async () => undefined },
    session: { hub: service, preview, clock },
    log,
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    app.request(`/api/session/${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const step = async () => ((await (await app.request("/api/session")).json()) as { step: string }).step;
  return {
    clock,
    reader,
    captures,
    frameListeners,
    saved,
    service,
    preview,
    app,
    post,
    step,
    async start() {
      await service.start();
      await preview.start();
    },
    async toFace() {
      for (const event of [{ type: "start" }, { type: "choose-language", language: "en" }, { type: "consent", agree: true }]) expect((await post("events", event)).status).toBe(200);
      reader.emit("card-inserted", { atMs: clock.now() });
      reader.emit("card-read", {
        identity: {
          card: { cardType: "resident", name: "欧阳娜娜", sex: "female", ethnicityCode: "01", birthDate: "1949-12-31", address: "x", idNumber: ID_NUMBER, issuer: "y", validFrom: "2016-01-01", validUntil: "long-term" },
          photo: { format: "jpeg", bytes: new Uint8Array(8) },
          fingerprint: new Uint8Array(0),
          layout: "base",
        },
        photo: new Uint8Array(8),
        foundAtMs: clock.now(),
        atMs: clock.now(),
      });
      await clock.advance(0);
      expect(await step()).toBe("face");
    },
    camera(frame: Partial<CameraFrame> = {}) {
      const full: CameraFrame = { seq: 1, capturedAtMs: clock.now(), width: 640, height: 480, format: "jpeg", bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), channel: "rgb", ...frame };
      for (const l of [...frameListeners]) l(full);
    },
  };
}

/** Reads the SSE events of a streaming response. */
function sse(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let comments = 0;
  return {
    /** Keep-alive comments seen so far. */
    get comments() {
      return comments;
    },
    /** The next `count` events, fewer when the stream ends first (`ended`). */
    async next(count: number): Promise<{ events: { event: string; data: unknown }[]; ended: boolean }> {
      const events: { event: string; data: unknown }[] = [];
      while (events.length < count) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(":")) {
            comments++;
            continue;
          }
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
          const data = block
            .split("\n")
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          events.push({ event, data: JSON.parse(data) });
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return { events, ended: true };
        buffer += decoder.decode(value, { stream: true });
      }
      return { events, ended: false };
    },
    cancel: () => reader.cancel(),
  };
}

/** The signature as the UI sends it (no capturedAt). */
function signatureInput() {
  const { capturedAt: _capturedAt, ...input } = sampleSignature();
  return input;
}

async function problem(response: Response) {
  return problemSchema.parse(await response.json());
}

describe("GET /api/session and the stream", () => {
  test("the view is a valid SessionView; the stream sends it at once, then each change and the step's prompt", async () => {
    const h = harness();
    await h.start();
    const response = await h.app.request("/api/session");
    expect(response.status).toBe(200);
    expect(sessionViewSchema.parse(await response.json()).step).toBe("idle");
    const stream = await h.app.request("/api/session/stream");
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const events = sse(stream);
    expect((await events.next(1)).events.map((e) => e.event)).toEqual(["view"]);
    await h.post("events", { type: "start" });
    const { events: next } = await events.next(2);
    expect(next.map((e) => e.event)).toEqual(["prompt", "view"]);
    expect(next[0]?.data).toEqual({ key: "language", language: "zh" });
    expect(sessionViewSchema.parse(next[1]?.data).step).toBe("language");
    // A countdown shown is refreshed every second.
    await h.clock.advance(1000);
    expect(sessionViewSchema.parse((await events.next(1)).events[0]?.data).countdown).toEqual({ secondsLeft: 89, warning: false });
    // A silent stream (the idle screen shows no countdown) still sends a comment every 15 s.
    await h.post("events", { type: "start-over" });
    expect((await events.next(1)).events[0]?.data).toMatchObject({ step: "idle" });
    await h.clock.advance(SESSION_STREAM_KEEPALIVE_MS);
    h.service.send({ type: "start" });
    await events.next(1);
    expect(events.comments).toBe(1);
    await events.cancel();
  });
});

describe("POST /api/session/events", () => {
  test("a valid event answers 200 with the new view", async () => {
    const h = harness();
    await h.start();
    const response = await h.post("events", { type: "start" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { step: string }).step).toBe("language");
  });

  test("an out-of-order event is 409 session-rejected with the rejection code", async () => {
    const h = harness();
    await h.start();
    const response = await h.post("events", { type: "consent", agree: true });
    expect(response.status).toBe(409);
    expect(await problem(response)).toMatchObject({ code: "session-rejected", detail: 'Event "consent" refused on step "idle": the event does not apply to the current step', details: { reason: "not-in-step", step: "idle" } });
  });

  test("malformed bodies: 415 for another type, 413 past the limit, 400 with paths and never the values", async () => {
    const h = harness();
    await h.start();
    expect((await h.post("events", { type: "start" }, { "content-type": "text/plain" })).status).toBe(415);
    expect((await h.post("events", { type: "start" }, {})).status).toBe(415);
    const big = await h.post("events", JSON.stringify({ type: "start", pad: "x".repeat(SESSION_API_MAX_BODY_BYTES) }));
    expect(big.status).toBe(413);
    expect((await h.post("events", "{not json")).status).toBe(400);
    const secret = "SECRET-VALUE-12345";
    const bad = await h.post("events", { type: "toggle-matter", matterId: 7, confirmed: secret });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ code: "bad-request", details: { issues: expect.arrayContaining([{ path: "confirmed", code: "invalid_type" }]) } });
    expect((await h.post("events", { type: "start", extra: secret })).status).toBe(400);
    expect(await h.step()).toBe("idle");
  });

  test("a burst of nonsense on every step of a journey answers 4xx and never wedges the session", async () => {
    const h = harness();
    await h.start();
    const nonsense: unknown[] = [
      { type: "done" },
      { type: "signed" },
      { type: "tick" },
      { type: "card-read", card: {}, rejections: [] },
      { type: "device-status", device: "reader", ok: false },
      { type: "retry-face" },
      { type: "toggle-matter", matterId: "", confirmed: true },
      { type: "confirm-matters" },
      null,
      [],
      "start",
      42,
      { type: "set-language", language: "fr" },
    ];
    const burst = async () => {
      const step = await h.step();
      for (const body of nonsense) {
        const response = await h.post("events", body);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }
      expect((await h.post("signature", { width: 10, height: 10, strokes: [[1, 2, 30, 40]] })).status).toBe(400);
      expect(await h.step()).toBe(step);
    };
    await burst();
    await h.toFace();
    await burst();
    h.captures.at(-1)?.finish({ outcome: "matched", decision: { match: true, similarity: 0.9, threshold: 0.5, margin: 0.4 }, frames: 10 });
    await h.clock.advance(0);
    expect(await h.step()).toBe("matters");
    await burst();
    expect((await h.post("events", { type: "toggle-matter", matterId: "m-1", confirmed: true })).status).toBe(200);
    expect((await h.post("events", { type: "confirm-matters" })).status).toBe(200);
    await burst();
    const signed = await h.post("signature", signatureInput());
    expect(signed.status).toBe(200);
    await h.clock.advance(0);
    expect(await h.step()).toBe("result");
    expect(h.saved).toHaveLength(1);
    expect(h.saved[0]).toMatchObject({ outcome: "verified", signature: { capturedAt: new Date(h.clock.now()).toISOString() } });
  });
});

describe("POST /api/session/signature", () => {
  test("outside the signature step it is 409; the UI's capturedAt is replaced by the kiosk clock's", async () => {
    const h = harness();
    await h.start();
    const response = await h.post("signature", { ...signatureInput(), capturedAt: "1999-01-01T00:00:00.000Z" });
    expect(response.status).toBe(409);
    expect(await problem(response)).toMatchObject({ code: "session-rejected", details: { reason: "not-in-step" } });
    expect(sampleSignature().strokes.length).toBeGreaterThan(0);
  });
});

describe("GET /api/session/preview", () => {
  test("is 409 outside the face step", async () => {
    const h = harness();
    await h.start();
    const response = await h.app.request("/api/session/preview");
    expect(response.status).toBe(409);
    expect(await problem(response)).toMatchObject({ code: "session-rejected", details: { reason: "not-in-step", step: "idle" } });
    expect(h.frameListeners.size).toBe(0);
  });

  test("forwards each camera frame at once with the latest face box and guidance, and ends with the step", async () => {
    const h = harness();
    await h.start();
    await h.toFace();
    const response = await h.app.request("/api/session/preview");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const stream = sse(response);
    const frames: PreviewFrame[] = [];
    const delays: number[] = [];
    const startMs = h.clock.now();
    // One second of a 10 fps camera; the capture analyses the second frame.
    for (let i = 1; i <= 10; i++) {
      h.camera({ seq: i });
      const frame = (await stream.next(1)).events[0]?.data as PreviewFrame;
      delays.push(h.clock.now() - frame.atMs);
      frames.push(frame);
      if (i === 2) h.captures.at(-1)?.options.onAnalysis?.({ atMs: h.clock.now(), box: { x: 10, y: 20, width: 100, height: 120 }, guidance: "too-far" });
      await h.clock.advance(100);
    }
    expect(frames).toHaveLength(10);
    expect(h.clock.now() - startMs).toBe(1000);
    expect(Math.max(...delays)).toBe(0);
    expect(frames[0]).toEqual({ atMs: startMs, width: 640, height: 480, jpeg: "/9j/2Q==", face: null, guidance: null });
    expect(frames[2]).toMatchObject({ face: { x: 10, y: 20, width: 100, height: 120 }, guidance: "too-far" });
    // The step ends (the card is lifted): the stream ends, and no frame is sent after.
    h.reader.emit("card-removed", { reason: "removed", atMs: h.clock.now() });
    await h.clock.advance(0);
    expect(await h.step()).toBe("idle");
    h.camera({ seq: 99 });
    expect(await stream.next(1)).toEqual({ events: [], ended: true });
    expect(h.frameListeners.size).toBe(0);
    expect(h.preview.viewers).toBe(0);
  });
});
