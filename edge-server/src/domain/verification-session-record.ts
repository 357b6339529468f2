/**
 * The result record of a session (`VerificationResult`, schema version 2)
 * from the machine's draft and what only the shell holds: the kiosk's
 * identity, the face attempts as the capture ended them, the engine's model
 * and threshold, and the signature. Pure.
 */
import type { ChallengeAction, FaceAttempt, LivenessMode, Signature, VerificationResult } from "@kiosk/contracts";
import type { FaceAttemptResult, ResultDraft } from "./verification-session-types.ts";

/** The face engine and liveness settings a session's captures ran with. */
export interface FaceSetup {
  readonly model: string;
  readonly threshold: number;
  readonly livenessMode: LivenessMode;
}

/** What the shell adds to a draft. */
export interface RecordParts {
  readonly kioskId: string;
  /** How each face capture of the session ended, in order. */
  readonly captures: readonly FaceAttemptResult[];
  /** The challenge actions asked for in the last capture, in order. */
  readonly actions: readonly ChallengeAction[];
  readonly face: FaceSetup;
  /** The applicant's signature; recorded only for a verified result. */
  readonly signature?: Signature;
}

/** One capture as a result's attempt: its outcome and the reasons (never a score or an image). */
export function faceAttempt(result: FaceAttemptResult): FaceAttempt {
  switch (result.outcome) {
    case "not-live":
      return { outcome: result.outcome, reasons: [result.liveness.reason] };
    case "timed-out":
      return { outcome: result.outcome, reasons: result.guidance === null ? [] : [result.guidance] };
    default:
      return { outcome: result.outcome, reasons: [] };
  }
}

/**
 * The face decision of the last capture that reached one (a match, a
 * liveness failure or the time limit); undefined when none did.
 */
export function resultFace(captures: readonly FaceAttemptResult[], actions: readonly ChallengeAction[], setup: FaceSetup): VerificationResult["face"] {
  const last = captures.findLast((c) => c.outcome === "matched" || c.outcome === "not-matched" || c.outcome === "not-live" || c.outcome === "timed-out");
  if (last === undefined) return undefined;
  const asked = actions.length > 0 ? { actions: [...actions] } : {};
  const base = { model: setup.model, threshold: setup.threshold };
  switch (last.outcome) {
    case "matched":
    case "not-matched":
      return { ...base, threshold: last.decision.threshold, similarity: last.decision.similarity, liveness: { mode: setup.livenessMode, passed: true, ...asked } };
    case "not-live":
      return { ...base, liveness: { mode: setup.livenessMode, passed: false, reason: last.liveness.reason, ...asked } };
    default:
      return { ...base, liveness: { mode: setup.livenessMode, passed: false, ...asked } };
  }
}

/**
 * The record of `draft`, or null when the draft has no card: a session
 * that ended before its card was read (consent declined, an unsupported
 * card) identifies no one, and the result contract requires the card.
 */
export function verificationRecord(draft: ResultDraft, parts: RecordParts): VerificationResult | null {
  if (draft.card === undefined) return null;
  const face = resultFace(parts.captures, parts.actions, parts.face);
  return {
    sessionId: draft.sessionId,
    kioskId: parts.kioskId,
    outcome: draft.outcome,
    ...(draft.referralCode === undefined ? {} : { referralCode: draft.referralCode }),
    card: draft.card,
    matters: draft.matters.map((m) => ({ matterId: m.matterId, role: m.role })),
    startedAt: draft.startedAt,
    completedAt: draft.completedAt,
    ...(face === undefined ? {} : { face }),
    attempts: parts.captures.map(faceAttempt),
    ...(draft.outcome === "verified" && parts.signature !== undefined ? { signature: parts.signature } : {}),
  };
}
