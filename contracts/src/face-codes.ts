/**
 * The face engine's code lists that cross the wire: capture guidance,
 * challenge actions, liveness modes and failures, and how a face attempt
 * ends. The edge server's domain, the verification result, the session view
 * and the voice prompts all use these lists.
 */

/** How the kiosk decided liveness: the passive signals, the active challenge, or both. */
export const LIVENESS_MODES = ["passive", "active", "both"] as const;

/** One of {@linkcode LIVENESS_MODES}. */
export type LivenessMode = (typeof LIVENESS_MODES)[number];

/** What an active challenge can ask for ("left"/"right" are the applicant's own). */
export const CHALLENGE_ACTIONS = ["blink", "turn-left", "turn-right"] as const;

/** One of {@linkcode CHALLENGE_ACTIONS}. */
export type ChallengeAction = (typeof CHALLENGE_ACTIONS)[number];

/**
 * Why liveness failed: the passive check (`not-real`, `not-live`,
 * `no-face`), the active challenge (`timeout`, `face-swapped`, `no-face`,
 * `multiple-faces`, `wrong-action`), or a missing or unfinished part.
 * The same codes as the edge server's liveness decision.
 */
export const LIVENESS_FAILURES = [
  "not-real",
  "not-live",
  "no-face",
  "timeout",
  "face-swapped",
  "multiple-faces",
  "wrong-action",
  "challenge-unfinished",
  "challenge-missing",
  "passive-missing",
] as const;

/** One of {@linkcode LIVENESS_FAILURES}. */
export type LivenessFailure = (typeof LIVENESS_FAILURES)[number];

/**
 * Face capture guidance codes (the edge server's quality gate), in the
 * order the gate reports them: the first of a frame's codes is the one to show.
 */
export const GUIDANCE_CODES = [
  "no-face",
  "multiple-faces",
  "too-far",
  "too-close",
  "off-center",
  "face-the-camera",
  "too-dark",
  "too-bright",
  "blurry",
  "eyes-closed",
] as const;

/** One of {@linkcode GUIDANCE_CODES}. */
export type GuidanceCode = (typeof GUIDANCE_CODES)[number];

/** How one face attempt ended (the edge server's face capture outcomes). */
export const FACE_ATTEMPT_OUTCOMES = ["matched", "not-matched", "not-live", "timed-out", "cancelled", "chip-unusable"] as const;

/** One of {@linkcode FACE_ATTEMPT_OUTCOMES}. */
export type FaceAttemptOutcome = (typeof FACE_ATTEMPT_OUTCOMES)[number];

/** A reason code of a face attempt: a liveness failure, or the guidance last given and not followed (the two lists share `no-face` and `multiple-faces`). */
export type FaceAttemptReason = LivenessFailure | GuidanceCode;
