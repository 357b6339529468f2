import { verificationResultV2Schema } from "@kiosk/contracts";
import { sampleSignature } from "@kiosk/contracts/testing";
import { describe, expect, test } from "bun:test";
import { faceAttempt, resultFace, verificationRecord, type FaceSetup } from "./verification-session-record.ts";
import type { FaceAttemptResult, ResultDraft } from "./verification-session-types.ts";

const SETUP: FaceSetup = { model: "m@1", threshold: 0.5, livenessMode: "active" };
const MATCHED: FaceAttemptResult = { outcome: "matched", decision: { similarity: 0.81, threshold: 0.52 } };
const DRAFT: ResultDraft = {
  sessionId: "00000000-0000-4000-8000-000000000001",
  outcome: "verified",
  card: { cardType: "resident", idNumber: "11010519491231002X", name: "欧阳娜娜", sex: "female", birthDate: "1949-12-31", validUntil: "long-term" },
  cardRejections: [],
  attempts: [],
  matters: [{ matterId: "m-1", role: "legal-representative" }],
  language: "zh",
  startedAt: "2026-03-01T08:00:00.000Z",
  completedAt: "2026-03-01T08:02:00.000Z",
};

describe("verificationRecord", () => {
  test("a verified draft becomes a valid v2 body with the signature, the face decision and every attempt", () => {
    const record = verificationRecord(DRAFT, {
      kioskId: "hall-7-k1",
      captures: [{ outcome: "timed-out", guidance: "too-far", challenge: undefined }, MATCHED],
      actions: ["turn-left"],
      face: SETUP,
      signature: sampleSignature(),
    });
    expect(verificationResultV2Schema.safeParse(record).success).toBe(true);
    expect(record).toMatchObject({
      face: { model: "m@1", threshold: 0.52, similarity: 0.81, liveness: { mode: "active", passed: true, actions: ["turn-left"] } },
      attempts: [
        { outcome: "timed-out", reasons: ["too-far"] },
        { outcome: "matched", reasons: [] },
      ],
    });
    expect(record?.signature).toEqual(sampleSignature());
  });

  test("a signature is recorded only for a verified result", () => {
    const record = verificationRecord({ ...DRAFT, outcome: "abandoned", matters: [] }, { kioskId: "hall-7-k1", captures: [MATCHED], actions: [], face: SETUP, signature: sampleSignature() });
    expect(record?.signature).toBeUndefined();
    expect(verificationResultV2Schema.safeParse(record).success).toBe(true);
  });

  test("a draft without a card is no record", () => {
    const { card: _card, ...declined } = DRAFT;
    expect(verificationRecord({ ...declined, outcome: "declined" }, { kioskId: "hall-7-k1", captures: [], actions: [], face: SETUP })).toBeNull();
  });
});

describe("resultFace and faceAttempt", () => {
  test("a liveness failure keeps its reason and the engine's threshold, with no similarity", () => {
    const notLive: FaceAttemptResult = { outcome: "not-live", liveness: { live: false, reason: "face-swapped" } };
    expect(resultFace([MATCHED, notLive, { outcome: "cancelled" }], [], SETUP)).toEqual({ model: "m@1", threshold: 0.5, liveness: { mode: "active", passed: false, reason: "face-swapped" } });
    expect(faceAttempt(notLive)).toEqual({ outcome: "not-live", reasons: ["face-swapped"] });
  });

  test("no capture that reached a decision: no face", () => {
    expect(resultFace([{ outcome: "chip-unusable" }], [], SETUP)).toBeUndefined();
  });
});
