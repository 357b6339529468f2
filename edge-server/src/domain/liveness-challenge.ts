/**
 * The active liveness challenge: the applicant is asked for a short random
 * sequence of actions (blink, turn left, turn right), and each analysed
 * camera frame is checked against the current one, within a time limit.
 * Throughout, every embedded frame must stay close to the first embedded one,
 * so the face cannot be swapped half-way (a live accomplice doing the
 * actions, then the victim's photo for the match).
 *
 * Pure: the caller feeds analyses and their capture times, and draws the
 * sequence with an injected random source. Measures come from the mesh
 * landmarks (eye openness, nose offset) and the embeddings.
 *
 * What this can and cannot stop with an RGB camera: `adapters/face/LIVENESS.md`.
 */
import { CHALLENGE_ACTIONS, type ChallengeAction } from "@kiosk/contracts";
import { cosineSimilarity } from "./face-match.ts";

// The actions a challenge can ask for are part of the result contract, so they are defined there.
export { CHALLENGE_ACTIONS, type ChallengeAction };

/**
 * Why a challenge failed.
 *
 * - `timeout`: the actions were not all done within the time limit (a held
 *   photo ends here).
 * - `face-swapped`: an embedded frame fell below the similarity floor to the first one.
 * - `no-face`: the face was lost for more frames than tolerated.
 * - `multiple-faces`: a second person of comparable size appeared.
 * - `wrong-action`: a turn the other way, or a turn when none was asked.
 */
export const CHALLENGE_FAILURES = ["timeout", "face-swapped", "no-face", "multiple-faces", "wrong-action"] as const;

/** One of {@linkcode CHALLENGE_FAILURES}. */
export type ChallengeFailure = (typeof CHALLENGE_FAILURES)[number];

/** Limits of a challenge; the `face.liveness.active` settings satisfy it. */
export interface ChallengeSettings {
  /** Time for the whole challenge from its first frame, in milliseconds. */
  readonly timeLimitMs: number;
  /** Eyes are shut at or below this fraction of the most open mean openness seen. */
  readonly blinkClosedRatio: number;
  /** Eyes are open at or above this fraction of the most open mean openness seen. */
  readonly blinkOpenRatio: number;
  /** Change of {@linkcode noseOffset} from the first frame that counts as a turn. */
  readonly turnMinOffset: number;
  /** Consecutive face-less frames tolerated. */
  readonly maxFaceLostFrames: number;
  /** Cosine floor of every embedded frame against the first embedded frame. */
  readonly minEmbeddingSimilarity: number;
  /** Embedded frames needed before the challenge can pass. */
  readonly minEmbeddedFrames: number;
  /** Another face at least this fraction of the applicant's size is a second person. */
  readonly bystanderMinSizeRatio: number;
}

/** What the challenge reads of the applicant's face: a subset of the engine's `MainFace`. */
export interface ChallengeFace {
  /** The 478 face-mesh points in frame pixels. */
  readonly landmarks: readonly { readonly x: number; readonly y: number }[];
  readonly quality: { readonly faceSizePx: number; readonly eyeOpenness: { readonly left: number; readonly right: number } };
  /** L2-normalised embedding, when the frame was embedded. */
  readonly embedding?: ArrayLike<number>;
}

/** What the challenge reads of a frame: a subset of the engine's `FrameAnalysis`. */
export interface ChallengeFrame {
  readonly main: ChallengeFace | undefined;
  readonly others: readonly { readonly quality: { readonly faceSizePx: number } }[];
}

/**
 * Where a challenge stands. While running, `action` is what to ask the
 * applicant for, or `undefined` once every action is done and the challenge
 * waits for enough embedded frames to follow the face.
 */
export type ChallengeStatus =
  | { readonly state: "running"; readonly step: number; readonly action: ChallengeAction | undefined }
  | { readonly state: "passed"; readonly frames: number; readonly embeddedFrames: number }
  | { readonly state: "failed"; readonly reason: ChallengeFailure; readonly step: number; readonly action: ChallengeAction | undefined };

/** Mesh indices (MediaPipe topology): nose tip, and the face outline at cheek height on the image's left and right. */
const NOSE_TIP = 1;
const OUTLINE_IMAGE_LEFT = 234;
const OUTLINE_IMAGE_RIGHT = 454;

/**
 * Horizontal offset of the nose tip from the middle of the face outline, in
 * half face widths: 0 frontal, positive when the nose is towards the image's
 * right (the applicant turned to their own left, the camera facing them),
 * about 1.3·tan(yaw) for a real head. `undefined` when the mesh lacks the
 * points or is degenerate.
 *
 * A 2-D measure on the mesh rather than the engine's 3-D yaw: on warped
 * test photos the engine's yaw moved only 5–11° while this moved 0.35–0.46,
 * and the sign of both agreed.
 */
export function noseOffset(landmarks: ChallengeFace["landmarks"]): number | undefined {
  const nose = landmarks[NOSE_TIP];
  const left = landmarks[OUTLINE_IMAGE_LEFT];
  const right = landmarks[OUTLINE_IMAGE_RIGHT];
  if (!nose || !left || !right) return undefined;
  const halfWidth = (right.x - left.x) / 2;
  if (!(halfWidth > 0)) return undefined;
  return (nose.x - (left.x + right.x) / 2) / halfWidth;
}

/**
 * Draws `count` actions from `allowed` with `random` (values in [0, 1)),
 * never the same action twice in a row unless only one is allowed.
 *
 * @throws {RangeError} when `count` is not a positive integer or `allowed` is empty.
 */
export function planChallenge(count: number, allowed: readonly ChallengeAction[], random: () => number): ChallengeAction[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`Invalid action count "${count}": expected a positive integer`);
  const pool = [...new Set(allowed)];
  if (pool.length === 0) throw new RangeError("Cannot plan a challenge: no action allowed");
  const out: ChallengeAction[] = [];
  for (let i = 0; i < count; i++) {
    const previous = out[i - 1];
    const choices = pool.length > 1 ? pool.filter((a) => a !== previous) : pool;
    out.push(choices[Math.min(choices.length - 1, Math.floor(random() * choices.length))] as ChallengeAction);
  }
  return out;
}

type BlinkPhase = "await-open" | "await-shut" | "await-reopen";

/**
 * One run of a challenge. Feed it every analysed frame in capture order with
 * {@linkcode observe}; once it has passed or failed it stays so.
 *
 * @example
 * ```ts
 * const challenge = new LivenessChallenge(planChallenge(2, CHALLENGE_ACTIONS, Math.random), config.face.liveness.active);
 * for (;;) {
 *   const frame = await camera.nextFrame({ after: seq, signal });
 *   const status = challenge.observe(await engine.analyze(decode(frame), { embed: true }), frame.capturedAtMs);
 *   if (status.state !== "running") break;
 *   prompt(status.action);
 * }
 * ```
 */
export class LivenessChallenge {
  readonly actions: readonly ChallengeAction[];
  readonly #settings: ChallengeSettings;
  #status: ChallengeStatus;
  #startedAtMs: number | undefined;
  #frames = 0;
  #embedded = 0;
  #lostRun = 0;
  #reference: ArrayLike<number> | undefined;
  #baselineOffset: number | undefined;
  #mostOpen = 0;
  // A turn counts only after a frontal frame in its step (the previous turn undone).
  #frontalSeen = false;
  #blink: BlinkPhase = "await-open";

  /** @throws {RangeError} when `actions` is empty. */
  constructor(actions: readonly ChallengeAction[], settings: ChallengeSettings) {
    if (actions.length === 0) throw new RangeError("Cannot run a challenge without actions");
    this.actions = [...actions];
    this.#settings = settings;
    this.#status = { state: "running", step: 0, action: actions[0] };
  }

  /** The current status. */
  get status(): ChallengeStatus {
    return this.#status;
  }

  /**
   * Checks one analysed frame captured at `atMs` (epoch ms) and returns the
   * new status. The first frame starts the clock.
   */
  observe(frame: ChallengeFrame, atMs: number): ChallengeStatus {
    if (this.#status.state !== "running") return this.#status;
    this.#startedAtMs ??= atMs;
    if (this.expire(atMs).state !== "running") return this.#status;
    this.#frames++;
    const main = frame.main;
    if (!main) {
      this.#lostRun++;
      return this.#lostRun > this.#settings.maxFaceLostFrames ? this.#fail("no-face") : this.#status;
    }
    this.#lostRun = 0;
    const floor = this.#settings.bystanderMinSizeRatio * main.quality.faceSizePx;
    if (frame.others.some((other) => other.quality.faceSizePx >= floor)) return this.#fail("multiple-faces");
    if (main.embedding) {
      if (this.#reference === undefined) this.#reference = main.embedding;
      else if (cosineSimilarity(this.#reference, main.embedding) < this.#settings.minEmbeddingSimilarity) return this.#fail("face-swapped");
      this.#embedded++;
    }
    this.#step(main);
    return this.#status;
  }

  /** Fails the challenge with `timeout` when `nowMs` is past its time limit; returns the status. */
  expire(nowMs: number): ChallengeStatus {
    if (this.#status.state === "running" && this.#startedAtMs !== undefined && nowMs - this.#startedAtMs > this.#settings.timeLimitMs) {
      return this.#fail("timeout");
    }
    return this.#status;
  }

  #step(main: ChallengeFace): void {
    const status = this.#status;
    if (status.state !== "running") return;
    const eyes = (main.quality.eyeOpenness.left + main.quality.eyeOpenness.right) / 2;
    this.#mostOpen = Math.max(this.#mostOpen, eyes);
    const offset = noseOffset(main.landmarks);
    if (offset !== undefined) this.#baselineOffset ??= offset;
    const turn = offset === undefined || this.#baselineOffset === undefined ? 0 : offset - this.#baselineOffset;
    const min = this.#settings.turnMinOffset;
    // Turning to one's own left moves the nose towards the image's right: a positive change.
    const turned: ChallengeAction | undefined = turn >= min ? "turn-left" : turn <= -min ? "turn-right" : undefined;
    if (Math.abs(turn) < min / 2) this.#frontalSeen = true;

    const action = status.action;
    if (action === undefined) {
      if (this.#embedded >= this.#settings.minEmbeddedFrames) this.#pass();
      return;
    }
    if (turned !== undefined && this.#frontalSeen && turned !== action) {
      this.#fail("wrong-action");
      return;
    }
    let done = false;
    if (action === "blink") {
      const open = eyes >= this.#settings.blinkOpenRatio * this.#mostOpen;
      const shut = eyes <= this.#settings.blinkClosedRatio * this.#mostOpen;
      if (this.#blink === "await-open" && open) this.#blink = "await-shut";
      else if (this.#blink === "await-shut" && shut) this.#blink = "await-reopen";
      else if (this.#blink === "await-reopen" && open) done = true;
    } else {
      done = this.#frontalSeen && turned === action;
    }
    if (!done) return;
    const step = status.step + 1;
    // The next turn counts only from a frontal pose: not yet after a turn, at once after a blink done facing the camera.
    this.#frontalSeen = Math.abs(turn) < min / 2;
    this.#blink = "await-open";
    this.#status = { state: "running", step, action: this.actions[step] };
    if (step === this.actions.length && this.#embedded >= this.#settings.minEmbeddedFrames) this.#pass();
  }

  #pass(): void {
    this.#status = { state: "passed", frames: this.#frames, embeddedFrames: this.#embedded };
  }

  #fail(reason: ChallengeFailure): ChallengeStatus {
    const current = this.#status;
    const step = current.state === "running" ? current.step : 0;
    this.#status = { state: "failed", reason, step, action: this.actions[step] };
    return this.#status;
  }
}
