/**
 * The shell of the verification session: it holds the machine's state,
 * feeds it the reader's, the face capture's and the applicant's events,
 * carries out its effects in order through the injected ports, sends a
 * `tick` when a countdown is due, and publishes the session's view to
 * subscribers (the UI's event stream, the demo camera) on every change and
 * every second while a countdown shows.
 *
 * Privacy: the chip photo, the signature strokes and the capture history
 * live only in a {@linkcode SessionHeldData}, overwritten and dropped on the
 * machine's `wipe-session`; the machine's state holds the card's text
 * fields until the session ends. Logs name steps and codes, never card data.
 */
import { isKioskError, type ApplicantEvent, type Clock, type Logger, type Service, type SessionPrompt, type SessionView, type Signature, type TimerId } from "@kiosk/contracts";
import type { CardReadEvent, ReaderErrorEvent } from "@kiosk/device";
import { pendingMatters } from "../domain/verification-session-matters.ts";
import { verificationRecord } from "../domain/verification-session-record.ts";
import { nextTimerAtMs } from "../domain/verification-session-timeouts.ts";
import type { ResultDraft, SessionEffect, SessionEvent, SessionRejection, SessionState } from "../domain/verification-session-types.ts";
import { sessionView } from "../domain/verification-session-view.ts";
import type { VerificationSession } from "../domain/verification-session.ts";
import type { CaptureOutcome, FrameAnalysisInfo } from "./face-capture.ts";
import { examineCard } from "./session-card-read.ts";
import { SessionHeldData, zeroBytes, zeroSignature } from "./session-held-data.ts";
import type {
  SessionCardReader,
  SessionDeviceHealth,
  SessionFaceCapture,
  SessionFaceModel,
  SessionPhotoDecoder,
  SessionResultStore,
  SessionServiceSettings,
  SessionSyncDown,
} from "./verification-session-ports.ts";

/** The session as the rest of the edge server sees it. */
export interface SessionHub {
  /** The session's view now. */
  view(): SessionView;
  /**
   * Calls `onView` with every new view (and every second while a countdown
   * shows) and `onPrompt` with each voice prompt due; returns the remover.
   */
  subscribe(onView: (view: SessionView) => void, onPrompt?: (prompt: SessionPrompt) => void): () => void;
  /** Feeds an applicant's event; returns the machine's refusal, or null when it was taken. */
  send(event: ApplicantEvent): SessionRejection | null;
  /** Takes the applicant's signature on the signature step (handed over: the service overwrites it when the session ends). */
  sign(signature: Signature): SessionRejection | null;
}

/** What the service needs. */
export interface VerificationSessionServiceDeps {
  readonly machine: VerificationSession;
  readonly clock: Clock;
  readonly log: Logger;
  readonly reader: SessionCardReader;
  readonly photos: SessionPhotoDecoder;
  readonly capture: SessionFaceCapture;
  readonly faceModel: SessionFaceModel;
  readonly syncDown: SessionSyncDown;
  readonly results: SessionResultStore;
  readonly health: SessionDeviceHealth;
  readonly settings: SessionServiceSettings;
  /** Each analysed frame of the running capture (for the live preview). */
  readonly onAnalysis?: (info: FrameAnalysisInfo) => void;
  /** Time between two polls of `health`, in ms; default 1000. */
  readonly healthPollMs?: number;
}

/** Time between two views while a countdown shows. */
const COUNTDOWN_REFRESH_MS = 1000;
const DEFAULT_HEALTH_POLL_MS = 1000;

interface Subscriber {
  readonly onView: (view: SessionView) => void;
  readonly onPrompt: ((prompt: SessionPrompt) => void) | undefined;
}

/** Runs the verification session machine against the kiosk's devices and store. */
export class VerificationSessionService implements Service, SessionHub {
  readonly name = "verification-session";
  readonly #deps: VerificationSessionServiceDeps;
  readonly #subscribers = new Set<Subscriber>();
  #state: SessionState;
  #held: SessionHeldData | undefined;
  /** Set between `start-card-reading` and `stop-card-reading`. */
  #wantsCard = false;
  /** Bumped by every card placed or removed and every wipe: a card examined before it is stale. */
  #cardGeneration = 0;
  #capture: { readonly attempt: number; readonly controller: AbortController } | undefined;
  #timer: { readonly id: TimerId; readonly atMs: number } | undefined;
  /** When a view was last published: a countdown shown is refreshed a second after. */
  #publishedAtMs = Number.NEGATIVE_INFINITY;
  #healthTimer: TimerId | undefined;
  #running = false;
  /** Events raised while effects are carried out wait here, so effects always run in the machine's order. */
  readonly #queue: SessionEvent[] = [];
  #draining = false;

  constructor(deps: VerificationSessionServiceDeps) {
    this.#deps = deps;
    this.#state = deps.machine.initial();
  }

  /** Subscribes to the reader and starts polling the devices' health. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const { reader } = this.#deps;
    reader.on(this, "card-inserted", () => this.#cardInserted());
    reader.on(this, "card-removed", () => this.#cardRemoved());
    reader.on(this, "card-read", (e) => this.#cardRead(e));
    reader.on(this, "card-reread-required", (e) => {
      // A reader that hides a card once read says so after every read: that matters only while a card is asked for.
      if (e.reason === "read-failed" || this.#state.step === "place-card") this.#readFailed("read-failed");
    });
    reader.on(this, "reader-error", (e) => this.#readerError(e));
    reader.on(this, "reader-ready", () => this.#dispatch({ type: "device-status", device: "reader", ok: true }));
    reader.on(this, "device-lost", () => this.#dispatch({ type: "device-status", device: "reader", ok: false }));
    this.#pollHealth();
  }

  /** Unsubscribes, stops the timers and any capture, and wipes what a session held. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#deps.reader.off(this);
    this.#clearTimer();
    if (this.#healthTimer !== undefined) this.#deps.clock.clearTimeout(this.#healthTimer);
    this.#healthTimer = undefined;
    this.#capture?.controller.abort(new Error("Session service stopped"));
    this.#capture = undefined;
    this.#wipe();
  }

  view(): SessionView {
    return sessionView(this.#state, this.#deps.clock.now());
  }

  subscribe(onView: (view: SessionView) => void, onPrompt?: (prompt: SessionPrompt) => void): () => void {
    const subscriber: Subscriber = { onView, onPrompt };
    this.#subscribers.add(subscriber);
    return () => {
      this.#subscribers.delete(subscriber);
    };
  }

  send(event: ApplicantEvent): SessionRejection | null {
    return this.#dispatch(event);
  }

  sign(signature: Signature): SessionRejection | null {
    const state = this.#state;
    const held = state.step === "signature" ? this.#heldFor(state.session.sessionId) : undefined;
    if (!held) {
      zeroSignature(signature);
      return this.#dispatch({ type: "signed" });
    }
    held.holdSignature(signature);
    const rejection = this.#dispatch({ type: "signed" });
    if (rejection) held.dropSignature();
    return rejection;
  }

  /**
   * Applies `event`; the effects it causes run before the next queued
   * event. Returns the refusal of `event` (null when taken, or when it was
   * queued behind the effects being carried out).
   */
  #dispatch(event: SessionEvent): SessionRejection | null {
    if (this.#draining) {
      this.#queue.push(event);
      return null;
    }
    this.#draining = true;
    try {
      const rejection = this.#apply(event);
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) this.#apply(next);
      return rejection;
    } finally {
      this.#draining = false;
      this.#schedule();
    }
  }

  #apply(event: SessionEvent): SessionRejection | null {
    const before = this.#state;
    const { state, effects, rejection } = this.#deps.machine.step(before, event, this.#deps.clock.now());
    this.#state = state;
    if (rejection) this.#deps.log.debug(() => `session event "${rejection.event}" refused on step "${rejection.step}": ${rejection.code}`);
    for (const effect of effects) this.#carryOut(effect);
    if (state !== before) this.#publish();
    return rejection;
  }

  #carryOut(effect: SessionEffect): void {
    switch (effect.type) {
      case "start-card-reading":
        this.#wantsCard = true;
        // An applicant often places the card first: the read made before it was wanted was ignored.
        this.#deps.reader.readAgain();
        return;
      case "stop-card-reading":
        this.#wantsCard = false;
        return;
      case "start-face-capture":
        this.#startCapture(effect.sessionId, effect.attempt);
        return;
      case "stop-face-capture":
        this.#capture?.controller.abort(new Error("Face capture stopped by the session"));
        this.#capture = undefined;
        return;
      case "load-matters":
        this.#loadMatters(effect.sessionId, effect.cardNumber);
        return;
      case "save-result":
        this.#save(effect.draft);
        return;
      case "wipe-session":
        this.#wipe();
        return;
      case "play-prompt":
        for (const s of [...this.#subscribers]) this.#notify(() => s.onPrompt?.({ key: effect.prompt, language: effect.language }));
        return;
    }
  }

  // Card -----------------------------------------------------------------

  #cardInserted(): void {
    this.#cardGeneration++;
    if (this.#wantsCard) this.#dispatch({ type: "card-inserted" });
  }

  #cardRemoved(): void {
    this.#cardGeneration++;
    // A removal matters while a session holds the card, wanted or not: the machine decides.
    this.#dispatch({ type: "card-removed" });
  }

  #readFailed(reason: "read-failed" | "unsupported-card"): void {
    if (!this.#wantsCard) return;
    const state = this.#state;
    // The reader reports one failure twice (the error, then "lift and place again"): only the first counts.
    // On the place-card screen it concerns a card placed before it was asked for (see `readAgain`).
    if (state.step === "reading" || (state.step === "place-card" && state.notice === null)) this.#dispatch({ type: "card-read-failed", reason });
  }

  #readerError(error: ReaderErrorEvent): void {
    if (error.code === "card-read-failed") this.#readFailed("read-failed");
    else if (error.code === "card-unreadable") this.#readFailed("unsupported-card");
    else if (error.code === "sam-failed") this.#dispatch({ type: "device-status", device: "reader", ok: false });
  }

  #cardRead(read: CardReadEvent): void {
    // A card placed just before the kiosk asked for one was found while unwanted, and its read ends now that it is wanted.
    if (this.#wantsCard && this.#state.step === "place-card") this.#dispatch({ type: "card-inserted" });
    const state = this.#state;
    if (!this.#wantsCard || state.step !== "reading") return;
    const sessionId = state.session.sessionId;
    const generation = this.#cardGeneration;
    const { photos, syncDown, settings, clock, log } = this.#deps;
    examineCard(read, { photos, syncDown, minAgeYears: settings.minAgeYears, nowMs: clock.now() }).then(
      (examined) => {
        const now = this.#state;
        // The card was lifted, the session ended or the service stopped meanwhile: what was read is dropped.
        if (generation !== this.#cardGeneration || now.step !== "reading" || now.session.sessionId !== sessionId || !this.#running) {
          examined.photo?.data.fill(0);
          return;
        }
        const held = this.#heldFor(sessionId, true);
        if (examined.photo) held.holdChipPhoto(examined.photo);
        this.#dispatch({ type: "card-read", card: examined.card, rejections: examined.rejections });
      },
      (error: unknown) => {
        log.error("card check failed: the sync-down cache did not answer", { error: errorText(error) });
        this.#dispatch({ type: "device-status", device: "storage", ok: false });
      },
    );
  }

  // Face -----------------------------------------------------------------

  #startCapture(sessionId: string, attempt: number): void {
    const held = this.#heldFor(sessionId);
    const photo = held?.chipPhoto;
    this.#capture?.controller.abort(new Error("Face capture replaced"));
    const controller = new AbortController();
    this.#capture = { attempt, controller };
    if (!held || !photo) {
      // No decodable photo reaches the face step (the card checks refuse it); should one, the capture cannot run.
      this.#dispatch({ type: "face-outcome", attempt, result: { outcome: "chip-unusable" }, model: this.#deps.faceModel.model.model });
      return;
    }
    held.captureStarted();
    const current = () => this.#capture?.controller === controller && this.#held === held;
    // The engine takes the pixels it is given (it may move them to a worker): it gets a copy, the held photo stays for the next attempt.
    const copy = { width: photo.width, height: photo.height, data: photo.data.slice() };
    const { onAnalysis } = this.#deps;
    this.#deps.capture
      .run(copy, {
        signal: controller.signal,
        onUpdate: (update) => {
          if (!current()) return;
          if (update.type === "challenge" && update.action !== undefined) held.actionAsked(update.action);
          this.#dispatch({ type: "face-update", attempt, update });
        },
        ...(onAnalysis ? { onAnalysis: (info: FrameAnalysisInfo) => current() && onAnalysis(info) } : {}),
      })
      .then(
        (outcome: CaptureOutcome) => {
          zeroBytes(copy.data);
          if (!current()) return;
          this.#capture = undefined;
          held.captureEnded(outcome);
          this.#dispatch({ type: "face-outcome", attempt, result: outcome, model: this.#deps.faceModel.model.model });
        },
        (error: unknown) => {
          zeroBytes(copy.data);
          if (!current()) return;
          this.#capture = undefined;
          this.#deps.log.error("face capture failed", { error: errorText(error) });
          this.#dispatch({ type: "device-status", device: "face-engine", ok: false });
        },
      );
  }

  // Matters and results --------------------------------------------------------

  #loadMatters(sessionId: string, cardNumber: string): void {
    const { syncDown, clock, log } = this.#deps;
    syncDown.pendingMatters(cardNumber).then(
      (matters) => {
        const hallId = syncDown.hallId();
        const pending = hallId === null ? [] : pendingMatters(matters, { cardNumber, hallId, nowMs: clock.now() });
        this.#dispatch({ type: "matters-loaded", sessionId, matters: pending });
      },
      (error: unknown) => {
        log.error("pending matters could not be read from the sync-down cache", { error: errorText(error) });
        this.#dispatch({ type: "device-status", device: "storage", ok: false });
      },
    );
  }

  #save(draft: ResultDraft): void {
    const { results, faceModel, settings, log } = this.#deps;
    const held = this.#heldFor(draft.sessionId);
    // The strokes are copied: the wipe that follows overwrites the held ones while the commit runs.
    const signature = held?.signature ? { ...held.signature, strokes: held.signature.strokes.map((s) => [...s]) } : undefined;
    const record = verificationRecord(draft, {
      kioskId: results.identity().kioskId,
      captures: held?.captures ?? [],
      actions: held?.actions ?? [],
      face: { model: faceModel.model.model, threshold: faceModel.threshold.value, livenessMode: settings.livenessMode },
      ...(signature ? { signature } : {}),
    });
    if (record === null) {
      // A session that ended before its card was read (declined, unsupported card) identifies no one and
      // cannot be a result (the contract requires the card): nothing is saved, and the machine goes on at once.
      if (signature) zeroSignature(signature);
      this.#dispatch({ type: "result-saved", sessionId: draft.sessionId });
      return;
    }
    results.saveResult(record).then(
      () => {
        if (record.signature) zeroSignature(record.signature);
        this.#dispatch({ type: "result-saved", sessionId: draft.sessionId });
      },
      (error: unknown) => {
        if (record.signature) zeroSignature(record.signature);
        log.error("result not saved: storage refuses results", { outcome: draft.outcome, error: errorText(error) });
        this.#dispatch({ type: "device-status", device: "storage", ok: false });
      },
    );
  }

  #wipe(): void {
    this.#held?.wipe();
    this.#held = undefined;
    this.#cardGeneration++;
  }

  /** The held data of `sessionId`; with `create`, a fresh one replaces that of another session. */
  #heldFor(sessionId: string, create: true): SessionHeldData;
  #heldFor(sessionId: string, create?: boolean): SessionHeldData | undefined;
  #heldFor(sessionId: string, create = false): SessionHeldData | undefined {
    if (this.#held?.sessionId === sessionId) return this.#held;
    if (!create) return undefined;
    this.#held?.wipe();
    this.#held = new SessionHeldData(sessionId);
    return this.#held;
  }

  // Devices --------------------------------------------------------------------

  #pollHealth(): void {
    if (!this.#running) return;
    const { health, clock } = this.#deps;
    this.#dispatch({ type: "device-status", device: "camera", ok: health.camera() });
    this.#dispatch({ type: "device-status", device: "face-engine", ok: health.faceEngine() });
    this.#dispatch({ type: "device-status", device: "storage", ok: health.storage() });
    this.#healthTimer = clock.setTimeout(() => this.#pollHealth(), this.#deps.healthPollMs ?? DEFAULT_HEALTH_POLL_MS);
  }

  // Timers and views -----------------------------------------------------------

  /** Schedules the next tick: the machine's next deadline, or sooner to refresh a countdown shown. */
  #schedule(): void {
    if (!this.#running) return this.#clearTimer();
    const { clock } = this.#deps;
    const now = clock.now();
    const due = nextTimerAtMs(this.#state);
    const refresh = sessionView(this.#state, now).countdown === null ? null : Math.max(now, this.#publishedAtMs + COUNTDOWN_REFRESH_MS);
    const at = due === null ? refresh : refresh === null ? due : Math.min(due, refresh);
    // Events that change nothing (the health poll) keep the timer as it is.
    if (this.#timer?.atMs === at) return;
    this.#clearTimer();
    if (at === null) return;
    this.#timer = { id: clock.setTimeout(() => this.#onTimer(), Math.max(0, at - now)), atMs: at };
  }

  #onTimer(): void {
    this.#timer = undefined;
    const before = this.#state;
    this.#dispatch({ type: "tick" });
    // A countdown shown moves on every second even when the machine's state did not change.
    if (this.#state === before && sessionView(this.#state, this.#deps.clock.now()).countdown !== null) this.#publish();
    this.#schedule();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer.id);
    this.#timer = undefined;
  }

  #publish(): void {
    this.#publishedAtMs = this.#deps.clock.now();
    if (this.#subscribers.size === 0) return;
    const view = this.view();
    for (const s of [...this.#subscribers]) this.#notify(() => s.onView(view));
  }

  #notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#deps.log.error("session subscriber failed", { error: errorText(error) });
    }
  }
}

/** An error's code or message for a log line (never card data: the errors here come from stores and engines). */
function errorText(error: unknown): string {
  if (isKioskError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
