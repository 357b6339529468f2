/**
 * The rules that turn what happened in a session into its outcome: the
 * reason of each failed face attempt, the outcome after the last attempt,
 * and the result draft the shell saves. Pure.
 */
import type { AttemptFailure, ResultKind, SessionLanguage, VerificationOutcome } from "@kiosk/contracts";
import type { ActiveSession, AttemptRecord, ConfirmedMatter, FaceAttemptResult, FaceEvidence, ResultDraft, SessionEnding } from "./verification-session-types.ts";

/**
 * The reason an attempt failed, in words the applicant can act on; null for
 * outcomes that are not a failed attempt (`matched`; `cancelled`, which only
 * the machine asks for; `chip-unusable`, which is the card's fault).
 *
 * - `not-matched` → `not-same-person`.
 * - `not-live`: a second face or a lost face is said as such, anything else
 *   is `liveness-not-passed`.
 * - `timed-out`: the last guidance not followed (`too-dark`, `too-far`…);
 *   without one, an unfinished challenge is `liveness-not-passed`, else `timed-out`.
 */
export function attemptFailure(result: FaceAttemptResult): AttemptFailure | null {
  switch (result.outcome) {
    case "matched":
    case "cancelled":
    case "chip-unusable":
      return null;
    case "not-matched":
      return "not-same-person";
    case "not-live": {
      const reason = result.liveness.reason;
      return reason === "multiple-faces" || reason === "no-face" ? reason : "liveness-not-passed";
    }
    case "timed-out":
      if (result.guidance !== null) return result.guidance;
      return result.challenge?.state === "running" ? "liveness-not-passed" : "timed-out";
  }
}

/** The face evidence an attempt leaves for the result: scores when it got to a match decision. */
export function faceEvidence(result: FaceAttemptResult, model: string): FaceEvidence | undefined {
  switch (result.outcome) {
    case "matched":
    case "not-matched":
      return { model, livenessPassed: true, score: { similarity: result.decision.similarity, threshold: result.decision.threshold } };
    case "not-live":
      return { model, livenessPassed: false };
    default:
      return undefined;
  }
}

/**
 * The outcome when the face was not verified: `liveness-failed` when any
 * attempt failed liveness (a possible presentation attack is what the staff
 * window most needs to know), else `face-mismatch` (not the holder, or a
 * capture that never got good enough to tell).
 */
export function failedFaceOutcome(attempts: readonly AttemptRecord[]): "face-mismatch" | "liveness-failed" {
  return attempts.some((a) => a.reason === "liveness-not-passed") ? "liveness-failed" : "face-mismatch";
}

/** What {@linkcode resultDraft} needs beyond the session. */
export interface DraftParts {
  readonly ending: SessionEnding;
  readonly language: SessionLanguage;
  readonly matters: readonly ConfirmedMatter[];
  readonly signedAtMs?: number;
  readonly completedAtMs: number;
}

/** The draft of the result of `session`, ended as `parts.ending`. */
export function resultDraft(session: ActiveSession, parts: DraftParts): ResultDraft {
  const { ending } = parts;
  return {
    sessionId: session.sessionId,
    outcome: ending.outcome,
    ...(ending.referralCode !== null ? { referralCode: ending.referralCode } : {}),
    ...(session.card ? { card: session.card } : {}),
    cardRejections: ending.cardRejections,
    ...(session.face ? { face: session.face } : {}),
    attempts: session.attempts,
    matters: parts.matters,
    language: parts.language,
    startedAt: new Date(session.startedAtMs).toISOString(),
    ...(parts.signedAtMs !== undefined ? { signedAt: new Date(parts.signedAtMs).toISOString() } : {}),
    completedAt: new Date(parts.completedAtMs).toISOString(),
  };
}

/** An ending with no card rejection: its attempt failures are the session's. */
export function sessionEnding(session: ActiveSession, outcome: VerificationOutcome, referralCode: string | null): SessionEnding {
  return { outcome, referralCode, cardRejections: [], attemptFailures: session.attempts.map((a) => a.reason) };
}

/** Which result screen an ending gets: a referral code makes it a referral, whatever the outcome. */
export function resultKind(ending: SessionEnding): ResultKind {
  if (ending.referralCode !== null) return "referral";
  return ending.outcome === "verified" ? "verified" : "no-matter";
}
