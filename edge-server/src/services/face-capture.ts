/**
 * One face capture: the applicant is guided into position, performs the
 * liveness challenge, and the `face.matchFrames` good frames of best
 * quality are matched against the chip photo by the calibrated rule
 * (`MATCH_RULE`); no other frame takes part. Every frame of the capture goes
 * through the same engine, gate and identity check, so the face that passes
 * the challenge is the face that is matched.
 *
 * Embeddings live only inside one `run()` and are zeroed when it returns;
 * the outcome carries scores and reasons, never a descriptor.
 */
import type { Clock } from "@kiosk/contracts";
import { cosineSimilarity, decideMatch, MATCH_RULE, ruleSimilarity, type MatchDecision } from "../domain/face-match.ts";
import { LivenessChallenge, planChallenge, type ChallengeAction, type ChallengeStatus } from "../domain/liveness-challenge.ts";
import { assessPassiveLiveness, decideLiveness, type LivenessDecision } from "../domain/liveness-decision.ts";
import { frameQuality, MatchFrames } from "../domain/match-frames.ts";
import { assessQuality, type GuidanceCode } from "../domain/quality-gate.ts";
import type { FaceConfig } from "../face-config.ts";
import type { FaceBox, FaceEngine, FrameAnalysis, LiveFrameSource, RgbImage } from "../ports.ts";

/** The face settings a capture uses. */
export type FaceCaptureSettings = Pick<FaceConfig, "quality" | "liveness" | "matchFrames" | "capture">;

/** Guidance codes that do not interrupt a running challenge: the challenge itself asks for a turn or a blink. */
const CHALLENGE_TOLERATED: ReadonlySet<GuidanceCode> = new Set(["face-the-camera", "eyes-closed"]);

/** What the applicant should be told now. */
export type CaptureUpdate =
  /** Guidance to get into position; `null` once the frame is good. */
  | { readonly type: "guidance"; readonly code: GuidanceCode | null }
  /** The challenge's next action (`step` from 0 of `of`), or `undefined` when every action is done. */
  | { readonly type: "challenge"; readonly action: ChallengeAction | undefined; readonly step: number; readonly of: number };

/** What the capture saw on one analysed frame, for the live preview. */
export interface FrameAnalysisInfo {
  /** The frame's capture time, epoch ms on the camera's clock. */
  readonly atMs: number;
  /** The applicant's face box in the frame's pixels, or null when no face was found. */
  readonly box: FaceBox | null;
  /** The frame's first guidance code, or null when the frame is good. */
  readonly guidance: GuidanceCode | null;
}

/** How a capture ended. Only `matched` verifies the applicant; every other outcome refers them to a staff window. */
export type CaptureOutcome =
  | { readonly outcome: "matched"; readonly decision: MatchDecision; readonly frames: number }
  | { readonly outcome: "not-matched"; readonly decision: MatchDecision; readonly frames: number }
  | { readonly outcome: "not-live"; readonly liveness: Extract<LivenessDecision, { live: false }>; readonly frames: number }
  /** No face could be found in the chip photo. */
  | { readonly outcome: "chip-unusable"; readonly frames: 0 }
  /** The time limit passed; `guidance` is the last advice that was not followed, if any. */
  | { readonly outcome: "timed-out"; readonly guidance: GuidanceCode | null; readonly challenge: ChallengeStatus | undefined; readonly frames: number }
  | { readonly outcome: "cancelled"; readonly frames: number };

/** What a capture needs. */
export interface FaceCaptureDeps {
  readonly engine: FaceEngine;
  readonly frames: LiveFrameSource;
  readonly settings: FaceCaptureSettings;
  readonly clock: Clock;
  /** Values in [0, 1) that draw the challenge's actions. */
  readonly random: () => number;
}

/** Options of one {@linkcode FaceCapture.run}. */
export interface CaptureRunOptions {
  /** Ends the capture with `cancelled` (the applicant walked away or pressed cancel). */
  readonly signal?: AbortSignal;
  /** Called with each change of what the applicant should be told. */
  readonly onUpdate?: (update: CaptureUpdate) => void;
  /** Called after each analysed frame with what was seen on it; it never changes the capture's decisions. */
  readonly onAnalysis?: (info: FrameAnalysisInfo) => void;
}

/** Runs face captures against one engine and camera, one at a time. */
export class FaceCapture {
  readonly #deps: FaceCaptureDeps;

  constructor(deps: FaceCaptureDeps) {
    this.#deps = deps;
  }

  /**
   * Captures the applicant in front of the camera and matches them with
   * `chipPhoto` (the decoded ID-card photo). The photo's pixels are handed
   * to the engine.
   */
  async run(chipPhoto: RgbImage, options: CaptureRunOptions = {}): Promise<CaptureOutcome> {
    const { engine, clock, settings } = this.#deps;
    const deadline = clock.now() + settings.capture.timeLimitMs;
    // The deadline is checked on each frame's capture time; the timer ends a wait for a frame that never comes.
    const timeout = new AbortController();
    const timer = clock.setTimeout(() => timeout.abort(new Error("face capture time limit")), settings.capture.timeLimitMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    // Every wait (camera or engine) takes `signal`, so a camera or engine that never answers cannot outlast the limit.
    const interrupted = (error: unknown, frames: number, timedOut: () => CaptureOutcome): CaptureOutcome => {
      if (options.signal?.aborted) return { outcome: "cancelled", frames };
      if (timeout.signal.aborted) return timedOut();
      throw error;
    };
    let chip;
    try {
      chip = await engine.embedChip(chipPhoto, { signal });
    } catch (error) {
      clock.clearTimeout(timer);
      return interrupted(error, 0, () => ({ outcome: "timed-out", guidance: null, challenge: undefined, frames: 0 }));
    }
    if (!chip.ok) {
      clock.clearTimeout(timer);
      return { outcome: "chip-unusable", frames: 0 };
    }
    const session = new CaptureSession(this.#deps, chip.embedding, options.onUpdate ?? (() => undefined), options.onAnalysis ?? (() => undefined));
    try {
      for (;;) {
        let frame;
        let analysis;
        try {
          frame = await this.#deps.frames.next(signal);
          if (frame.atMs > deadline) return session.timedOut();
          analysis = await engine.analyze(frame.image, { embed: session.wantsEmbedding(frame.atMs), signal });
        } catch (error) {
          return interrupted(error, session.frames, () => session.timedOut());
        }
        if (options.signal?.aborted) return { outcome: "cancelled", frames: session.frames };
        const outcome = session.observe(analysis, frame.atMs);
        if (outcome) return outcome;
      }
    } finally {
      clock.clearTimeout(timer);
      chip.embedding.fill(0);
      session.wipe();
    }
  }
}

/** The state of one capture: positioning, challenge, the frames to match. */
class CaptureSession {
  readonly #deps: FaceCaptureDeps;
  readonly #chip: Float32Array;
  readonly #onUpdate: (update: CaptureUpdate) => void;
  readonly #onAnalysis: (info: FrameAnalysisInfo) => void;
  readonly #challenge: LivenessChallenge | undefined;
  #frames = 0;
  #positioned = false;
  #guidance: GuidanceCode | null | undefined;
  #challengeStep = -1;
  #lastEmbedAtMs = Number.NEGATIVE_INFINITY;
  #reference: Float32Array | undefined;
  readonly #matchFrames: MatchFrames<Float32Array>;
  readonly #passive: { real: number; live: number }[] = [];

  constructor(deps: FaceCaptureDeps, chip: Float32Array, onUpdate: (update: CaptureUpdate) => void, onAnalysis: (info: FrameAnalysisInfo) => void) {
    this.#deps = deps;
    this.#chip = chip;
    this.#onUpdate = onUpdate;
    this.#onAnalysis = onAnalysis;
    this.#matchFrames = new MatchFrames(deps.settings.matchFrames);
    const { liveness } = deps.settings;
    if (liveness.mode !== "passive") {
      this.#challenge = new LivenessChallenge(planChallenge(liveness.active.actions, liveness.active.allowedActions, deps.random), liveness.active);
    }
  }

  get frames(): number {
    return this.#frames;
  }

  /**
   * Whether the frame captured at `atMs` should be embedded: once in
   * position, at most every `embedIntervalMs` while a challenge runs (the
   * frames between keep the challenge's frame rate up), every frame after.
   */
  wantsEmbedding(atMs: number): boolean {
    if (!this.#positioned) return false;
    if (this.#challenge?.status.state !== "running") return true;
    return atMs - this.#lastEmbedAtMs >= this.#deps.settings.capture.embedIntervalMs;
  }

  /** Takes one analysed frame; returns the outcome once the capture is over. */
  observe(analysis: FrameAnalysis, atMs: number): CaptureOutcome | undefined {
    this.#frames++;
    const { settings } = this.#deps;
    const verdict = assessQuality(analysis, settings.quality);
    const main = analysis.main;
    this.#onAnalysis({ atMs, box: main?.box ?? null, guidance: verdict.ok ? null : (verdict.codes[0] ?? null) });
    if (main?.embedding) this.#lastEmbedAtMs = atMs;
    const usable = verdict.ok && main !== undefined;
    // Only a good frame's embedding follows the face or counts for matching.
    const embedding = usable ? main.embedding : undefined;
    if (embedding) {
      this.#reference ??= embedding;
      if (cosineSimilarity(this.#reference, embedding) < settings.liveness.active.minEmbeddingSimilarity) {
        return this.#notLive({ live: false, reason: "face-swapped" });
      }
    }

    if (!this.#positioned) {
      this.#guide(verdict.ok ? null : verdict.codes[0]);
      if (!verdict.ok) return undefined;
      this.#positioned = true;
    } else {
      const blocking = verdict.ok ? null : (verdict.codes.find((code) => !CHALLENGE_TOLERATED.has(code)) ?? null);
      this.#guide(blocking);
    }

    const challenge = this.#challenge;
    if (challenge?.status.state === "running") {
      // A frame that failed the gate still shows the action, but its embedding is not trusted to follow the face.
      const frame = main && !embedding && main.embedding ? { main: { landmarks: main.landmarks, quality: main.quality }, others: analysis.others } : analysis;
      const status = challenge.observe(frame, atMs);
      if (status.state === "failed") return this.#notLive({ live: false, reason: status.reason });
      if (status.state === "running") this.#announce(status.step, status.action);
    }
    if (usable) this.#passive.push(main.liveness);
    if (main && embedding) {
      // Ranked by quality alone; a frame that drops out never meets the chip photo.
      const dropped = this.#matchFrames.offer(embedding, frameQuality(main, settings.quality));
      if (dropped !== this.#reference) dropped?.fill(0);
    }
    if (challenge && challenge.status.state !== "passed") return undefined;
    if (!this.#matchFrames.full) return undefined;
    return this.#decide(challenge?.status);
  }

  timedOut(): CaptureOutcome {
    return { outcome: "timed-out", guidance: this.#guidance ?? null, challenge: this.#challenge?.status, frames: this.#frames };
  }

  wipe(): void {
    for (const embedding of this.#matchFrames.frames) embedding.fill(0);
    this.#reference?.fill(0);
  }

  #decide(challenge: ChallengeStatus | undefined): CaptureOutcome {
    const { liveness } = this.#deps.settings;
    const passive = liveness.mode === "active" ? undefined : assessPassiveLiveness(this.#passive, liveness.passive);
    const decision = decideLiveness(liveness.mode, { ...(passive ? { passive } : {}), ...(challenge ? { challenge } : {}) });
    if (!decision.live) return this.#notLive(decision);
    const { engine } = this.#deps;
    const similarity = ruleSimilarity(engine.model, MATCH_RULE, this.#chip, this.#matchFrames.frames);
    const match = decideMatch(similarity, engine.threshold.value);
    return { outcome: match.match ? "matched" : "not-matched", decision: match, frames: this.#frames };
  }

  #notLive(liveness: Extract<LivenessDecision, { live: false }>): CaptureOutcome {
    return { outcome: "not-live", liveness, frames: this.#frames };
  }

  #guide(code: GuidanceCode | null): void {
    if (code === this.#guidance) return;
    this.#guidance = code;
    this.#onUpdate({ type: "guidance", code });
  }

  #announce(step: number, action: ChallengeAction | undefined): void {
    if (step === this.#challengeStep) return;
    this.#challengeStep = step;
    this.#onUpdate({ type: "challenge", action, step, of: this.#challenge?.actions.length ?? 0 });
  }
}
