import { describe, expect, test } from "bun:test";
import { sampleSignature } from "./testing/sample-signature.ts";
import { MAX_RECORD_BODY_BYTES } from "./upstream.ts";
import {
  parseVerificationResult,
  SIGNATURE_LIMITS,
  signatureSchema,
  VERIFICATION_RESULT_SCHEMA_VERSION,
  type Signature,
  type VerificationResultV1,
  type VerificationResultV2,
} from "./verification-result.ts";

const card = { cardType: "resident", idNumber: "11010519491231002X", name: "欧阳娜娜", sex: "female", birthDate: "1949-12-31", validUntil: "long-term" } as const;

const v1: VerificationResultV1 = {
  sessionId: "0196a1b2-3c4d-7e8f-9a0b-1c2d3e4f5a6b",
  kioskId: "hall-7-k1",
  outcome: "verified",
  card,
  face: { model: "facenet-512", similarity: 0.81, threshold: 0.6, livenessPassed: true },
  matters: [{ matterId: "M-1", role: "legal-representative" }],
  startedAt: "2026-01-01T00:00:00.000Z",
  completedAt: "2026-01-01T00:01:00.000Z",
};

const v2: VerificationResultV2 = {
  sessionId: "0196a1b2-3c4d-7e8f-9a0b-1c2d3e4f5a6c",
  kioskId: "hall-7-k1",
  outcome: "verified",
  card,
  face: { model: "facenet-512", threshold: 0.6, similarity: 0.81, liveness: { mode: "both", passed: true, actions: ["blink", "turn-left"] } },
  attempts: [
    { outcome: "not-live", reasons: ["timeout", "too-dark"] },
    { outcome: "matched", reasons: [] },
  ],
  matters: [{ matterId: "M-1", role: "legal-representative" }],
  signature: sampleSignature(),
  startedAt: "2026-01-01T00:00:00.000Z",
  completedAt: "2026-01-01T00:01:00.000Z",
};

function issuesOf(schemaVersion: number, body: unknown): string[] {
  const parsed = parseVerificationResult(schemaVersion, body);
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`);
}

function signatureIssues(signature: Signature): string[] {
  const parsed = signatureSchema.safeParse(signature);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("parseVerificationResult", () => {
  test("reads each version as the version its envelope names, tagged with it", () => {
    expect(VERIFICATION_RESULT_SCHEMA_VERSION).toBe(2);
    expect(parseVerificationResult(1, v1)).toEqual({ ok: true, result: { schemaVersion: 1, body: v1 } });
    expect(parseVerificationResult(2, v2)).toEqual({ ok: true, result: { schemaVersion: 2, body: v2 } });
  });

  test("a body is never read as another version than it claims", () => {
    // A version 1 body claiming version 2 lacks the attempts and the liveness result.
    expect(issuesOf(2, v1)).toEqual(expect.arrayContaining([expect.stringMatching(/^attempts: /), expect.stringMatching(/^face\.liveness: /)]));
    expect(issuesOf(1, v2)).toEqual([expect.stringMatching(/^face\.livenessPassed: /)]);
  });

  test("an unknown version is reported as such, not as a bad body", () => {
    expect(parseVerificationResult(3, v2)).toEqual({ ok: false, unknownVersion: true, issues: [] });
    expect(parseVerificationResult(0, v1)).toMatchObject({ ok: false, unknownVersion: true });
  });

  test("a verified result must carry a live matched face, a confirmed matter and a signature", () => {
    const { signature: _signature, ...unsigned } = v2;
    expect(issuesOf(2, unsigned)).toEqual(["signature: verified without a signature"]);
    expect(issuesOf(2, { ...v2, matters: [] })).toEqual(["matters: verified without a confirmed matter"]);
    expect(issuesOf(2, { ...v2, face: { ...v2.face!, liveness: { mode: "passive", passed: false, reason: "not-real" } } })).toEqual(["face: verified without a live, matched face"]);
    // A referral needs none of them.
    const referred: VerificationResultV2 = {
      ...unsigned,
      outcome: "liveness-failed",
      referralCode: "4711",
      matters: [],
      face: { model: "facenet-512", threshold: 0.6, liveness: { mode: "active", passed: false, reason: "wrong-action", actions: ["turn-right"] } },
      attempts: [1, 2, 3].map(() => ({ outcome: "not-live" as const, reasons: ["wrong-action" as const] })),
    };
    expect(issuesOf(2, referred)).toEqual([]);
  });

  test("no-pending-matter exists from version 2 on, without matters or a signature", () => {
    const { signature: _signature, ...unsigned } = v2;
    expect(issuesOf(2, { ...unsigned, outcome: "no-pending-matter", matters: [] })).toEqual([]);
    expect(issuesOf(1, { ...v1, outcome: "no-pending-matter", matters: [] })).toEqual([expect.stringMatching(/^outcome: /)]);
  });

  test("attempts hold outcome and reason codes only, bounded", () => {
    expect(issuesOf(2, { ...v2, attempts: [{ outcome: "not-matched", reasons: [] }] })).toEqual([]);
    // No score or image rides along in an attempt, nor timing in a signature.
    expect(issuesOf(2, { ...v2, attempts: [{ outcome: "not-matched", reasons: [], similarity: 0.4 }] })).toEqual([expect.stringMatching(/^attempts\.0: Unrecognized key: "similarity"/)]);
    expect(issuesOf(2, { ...v2, signature: { ...v2.signature!, times: [0, 16] } })).toEqual([expect.stringMatching(/^signature: Unrecognized key: "times"/)]);
    expect(issuesOf(2, { ...v2, attempts: [{ outcome: "not-live", reasons: ["sunburn"] }] })).toEqual([expect.stringMatching(/^attempts\.0\.reasons\.0: /)]);
    expect(issuesOf(2, { ...v2, attempts: Array.from({ length: 11 }, () => v2.attempts[0]) })).toEqual([expect.stringMatching(/^attempts: /)]);
  });
});

describe("signatureSchema", () => {
  test("takes strokes of integer points inside the canvas, a tap being one point", () => {
    expect(signatureIssues(sampleSignature())).toEqual([]);
    expect(signatureIssues({ width: 100, height: 50, strokes: [[100, 50], [0, 0, 1, 1]], capturedAt: "2026-01-01T00:00:00.000Z" })).toEqual([]);
  });

  test("refuses points outside the canvas, half points, fractions and empty strokes", () => {
    const base = { width: 100, height: 50, capturedAt: "2026-01-01T00:00:00.000Z" };
    expect(signatureIssues({ ...base, strokes: [[0, 0, 101, 10]] })).toEqual(["strokes.0.2: point outside the canvas"]);
    expect(signatureIssues({ ...base, strokes: [[0, 0], [10, 51]] })).toEqual(["strokes.1.0: point outside the canvas"]);
    expect(signatureIssues({ ...base, strokes: [[0, 0, 5]] })).toEqual(["strokes.0: expected x, y pairs"]);
    expect(signatureIssues({ ...base, strokes: [[0.5, 0]] })).toHaveLength(1);
    expect(signatureIssues({ ...base, strokes: [[-1, 0]] })).toHaveLength(1);
    expect(signatureIssues({ ...base, strokes: [[]] })).toHaveLength(1);
    expect(signatureIssues({ ...base, strokes: [] })).toHaveLength(1);
    expect(signatureIssues({ ...base, width: SIGNATURE_LIMITS.maxCanvasPx + 1, strokes: [[0, 0]] })).toHaveLength(1);
  });

  test("bounds strokes and points, so the largest signature keeps a body small", () => {
    const L = SIGNATURE_LIMITS;
    expect(signatureIssues(sampleSignature({ strokes: L.maxStrokes + 1, pointsPerStroke: 1 }))).toEqual([expect.stringMatching(/^strokes: /)]);
    expect(signatureIssues(sampleSignature({ strokes: 1, pointsPerStroke: L.maxStrokePoints + 1 }))).toEqual([expect.stringMatching(/^strokes\.0: /)]);
    expect(signatureIssues(sampleSignature({ strokes: 3, pointsPerStroke: L.maxStrokePoints }))).toEqual([`strokes: more than ${L.maxPoints} points`]);

    // The largest signature allowed: every coordinate 4 digits, as many strokes as allowed.
    const strokes = Array.from({ length: L.maxStrokes }, () => Array.from({ length: (2 * L.maxPoints) / L.maxStrokes }, () => L.maxCanvasPx));
    const largest: Signature = { width: L.maxCanvasPx, height: L.maxCanvasPx, strokes, capturedAt: "2026-01-01T00:00:00.000Z" };
    expect(signatureIssues(largest)).toEqual([]);
    const bytes = new TextEncoder().encode(JSON.stringify({ ...v2, signature: largest })).byteLength;
    expect(bytes).toBeLessThan(24 * 1024);
    expect(bytes).toBeLessThan(MAX_RECORD_BODY_BYTES / 10);
  });
});
