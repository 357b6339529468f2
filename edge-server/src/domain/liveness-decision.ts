/**
 * The liveness decision: the passive signals (human's antispoof and liveness
 * scores) over the frames checked, the active challenge's outcome, and how
 * the configured mode (`face.liveness.mode`) combines them. Pure.
 */
import { LIVENESS_MODES, type LivenessMode } from "@kiosk/contracts";
import type { ChallengeFailure, ChallengeStatus } from "./liveness-challenge.ts";

// The modes are part of the result contract (how liveness was decided), so they are defined there.
export { LIVENESS_MODES, type LivenessMode };

/** Limits of the passive check; the `face.liveness.passive` settings satisfy it. */
export interface PassiveLimits {
  readonly minReal: number;
  readonly minLive: number;
}

/** Why the passive check failed: the median antispoof (`not-real`) or liveness (`not-live`) score was too low, or no frame was given. */
export type PassiveFailure = "not-real" | "not-live" | "no-face";

/** The passive check's verdict, with the medians it decided on (`NaN` without frames). */
export type PassiveVerdict =
  | { readonly ok: true; readonly real: number; readonly live: number }
  | { readonly ok: false; readonly reasons: readonly [PassiveFailure, ...PassiveFailure[]]; readonly real: number; readonly live: number };

/**
 * Checks the passive signals of the applicant's face over several frames:
 * the median of each score must reach its limit (one odd frame neither
 * passes nor fails an applicant).
 */
export function assessPassiveLiveness(signals: readonly { readonly real: number; readonly live: number }[], limits: PassiveLimits): PassiveVerdict {
  if (signals.length === 0) return { ok: false, reasons: ["no-face"], real: Number.NaN, live: Number.NaN };
  const real = median(signals.map((s) => s.real));
  const live = median(signals.map((s) => s.live));
  const reasons: PassiveFailure[] = [];
  if (real < limits.minReal) reasons.push("not-real");
  if (live < limits.minLive) reasons.push("not-live");
  const [first, ...rest] = reasons;
  return first === undefined ? { ok: true, real, live } : { ok: false, reasons: [first, ...rest], real, live };
}

/** The overall liveness outcome. */
export type LivenessDecision =
  | { readonly live: true }
  | { readonly live: false; readonly reason: PassiveFailure | ChallengeFailure | "challenge-unfinished" | "challenge-missing" | "passive-missing" };

/**
 * Combines the parts `mode` asks for. In `both`, a failed challenge is
 * reported before a failed passive check (it is the stronger evidence).
 * A challenge still running counts as `challenge-unfinished`.
 */
export function decideLiveness(mode: LivenessMode, parts: { readonly passive?: PassiveVerdict; readonly challenge?: ChallengeStatus }): LivenessDecision {
  if (mode !== "passive") {
    const challenge = parts.challenge;
    if (!challenge) return { live: false, reason: "challenge-missing" };
    if (challenge.state === "failed") return { live: false, reason: challenge.reason };
    if (challenge.state === "running") return { live: false, reason: "challenge-unfinished" };
  }
  if (mode !== "active") {
    const passive = parts.passive;
    if (!passive) return { live: false, reason: "passive-missing" };
    if (!passive.ok) return { live: false, reason: passive.reasons[0] };
  }
  return { live: true };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
