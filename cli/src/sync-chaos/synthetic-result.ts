/**
 * Verification results of made-up applicants for the sync harness: valid
 * `verification-result` bodies whose resident ID numbers pass the
 * GB 11643 check but belong to nobody (synthetic birth dates and serials).
 * About a third are written as schema version 1, the rest as version 2
 * with attempts and, when verified, a signature, so every run shows central taking both
 * (a kiosk upgraded with version 1 results still queued sends such a mix).
 */
import {
  mod11_2CheckChar,
  type FaceAttempt,
  type Prng,
  VERIFICATION_OUTCOMES,
  type VerificationOutcome,
  type VerificationResultV2,
  type VersionedVerificationResult,
} from "@kiosk/contracts";
import { sampleSignature } from "@kiosk/contracts/testing";

const SURNAMES = ["测", "试", "模", "拟", "样"] as const;
const GIVEN = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"] as const;
const OUTCOMES = Object.values(VERIFICATION_OUTCOMES) as VerificationOutcome[];
const V1_SHARE = 1 / 3;
const O = VERIFICATION_OUTCOMES;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * A synthetic result for `kioskId`, stamped with `nowMs` (the kiosk clock,
 * which may be wrong on purpose), tagged with its schema version. `random`
 * varies the person, the version and the face details, so the bodies
 * differ; the session id is always fresh.
 */
export function syntheticResult(kioskId: string, random: Prng, nowMs: number): VersionedVerificationResult {
  const year = random.int(1950, 2005);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  const sexDigit = random.int(0, 9);
  const first17 = `110105${year}${pad(month, 2)}${pad(day, 2)}${pad(random.int(0, 99), 2)}${sexDigit}`;
  const outcome = random.pick(OUTCOMES);
  const started = new Date(nowMs - random.int(30_000, 180_000)).toISOString();
  const completedAt = new Date(nowMs).toISOString();
  const common = {
    sessionId: crypto.randomUUID(),
    kioskId,
    outcome,
    ...(outcome === O.verified ? {} : { referralCode: `R${pad(random.int(0, 99_999), 5)}` }),
    card: {
      cardType: "resident" as const,
      idNumber: `${first17}${mod11_2CheckChar(first17)}`,
      name: `${random.pick(SURNAMES)}${random.pick(GIVEN)}${random.pick(GIVEN)}`,
      sex: sexDigit % 2 === 1 ? ("male" as const) : ("female" as const),
      birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
      validUntil: "long-term" as const,
    },
    matters: [{ matterId: `M-CHAOS-${pad(random.int(0, 9999), 4)}`, role: "legal-representative" }],
    startedAt: started,
    completedAt,
  };
  const similarity = Math.round(random.next() * 1000) / 1000;
  if (outcome !== O.noPendingMatter && random.chance(V1_SHARE)) {
    return { schemaVersion: 1, body: { ...common, outcome, face: { model: "sync-chaos", similarity, threshold: 0.6, livenessPassed: random.chance(0.9) } } };
  }
  const matters = outcome === O.noPendingMatter ? [] : common.matters;
  return { schemaVersion: 2, body: { ...common, matters, ...faceOf(outcome, similarity, random, completedAt) } };
}

// The face part of a version 2 body, consistent with its outcome.
function faceOf(outcome: VerificationOutcome, similarity: number, random: Prng, completedAt: string): Pick<VerificationResultV2, "face" | "attempts" | "signature"> {
  const failed: FaceAttempt[] = Array.from({ length: random.int(0, 2) }, () => ({ outcome: "not-matched", reasons: [] }));
  const face = (passed: boolean, matched: boolean) => ({
    model: "sync-chaos",
    threshold: 0.6,
    ...(matched || outcome === O.faceMismatch ? { similarity } : {}),
    liveness: { mode: "both" as const, passed, ...(passed ? {} : { reason: "not-real" as const }), actions: ["blink" as const] },
  });
  switch (outcome) {
    case O.verified:
      return {
        face: face(true, true),
        attempts: [...failed, { outcome: "matched", reasons: [] }],
        signature: sampleSignature({ strokes: random.int(1, 4), pointsPerStroke: random.int(20, 120), capturedAt: completedAt }),
      };
    case O.noPendingMatter:
      return { face: face(true, true), attempts: [...failed, { outcome: "matched", reasons: [] }] };
    case O.faceMismatch:
      return { face: face(true, false), attempts: [...failed, { outcome: "not-matched", reasons: [] }] };
    case O.livenessFailed:
      return { face: face(false, false), attempts: [...failed, { outcome: "not-live", reasons: ["not-real", "too-dark"] }] };
    default:
      return { attempts: outcome === O.abandoned ? [{ outcome: "cancelled", reasons: [] }] : [] };
  }
}
