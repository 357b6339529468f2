/**
 * The states, events and effects of the verification session machine
 * (`verification-session.ts`). Plain data: the shell feeds events in and
 * carries out the effects; nothing here does I/O.
 *
 * Privacy: the state holds the card's text fields (what the screens and the
 * result need) only while a session runs, and never a chip photo, a frame,
 * an embedding or signature strokes: the shell owns those and drops them on
 * the `wipe-session` effect.
 */
import type {
  AttemptFailure,
  CardRejection,
  MATTER_KINDS,
  PERSON_ROLES,
  PlaceCardNotice,
  SessionDevice,
  SessionLanguage,
  VerificationOutcome,
  SessionPromptKey,
  SessionStep,
  VerificationResult,
} from "@kiosk/contracts";
import type { ChallengeAction, ChallengeStatus } from "./liveness-challenge.ts";
import type { LivenessDecision } from "./liveness-decision.ts";
import type { GuidanceCode } from "./quality-gate.ts";

/** The card fields a session keeps: what the screens show (masked) and the result records. */
export type SessionCard = VerificationResult["card"];

/** A registration matter open in this hall that lists the applicant, with the applicant's roles on it. */
export interface PendingMatter {
  readonly matterId: string;
  readonly companyName: string;
  readonly kind: (typeof MATTER_KINDS)[number];
  /** Non-empty. */
  readonly roles: readonly (typeof PERSON_ROLES)[number][];
}

/** A confirmed matter and one of the applicant's roles on it (one entry per role). */
export interface ConfirmedMatter {
  readonly matterId: string;
  readonly role: (typeof PERSON_ROLES)[number];
}

/** What the face capture tells the applicant now (the capture service's `CaptureUpdate`). */
export type FaceUpdate =
  | { readonly type: "guidance"; readonly code: GuidanceCode | null }
  | { readonly type: "challenge"; readonly action: ChallengeAction | undefined; readonly step: number; readonly of: number };

/** How one capture ended, as the machine reads it; the capture service's `CaptureOutcome` is one. */
export type FaceAttemptResult =
  | { readonly outcome: "matched" | "not-matched"; readonly decision: { readonly similarity: number; readonly threshold: number } }
  | { readonly outcome: "not-live"; readonly liveness: Extract<LivenessDecision, { live: false }> }
  | { readonly outcome: "chip-unusable" }
  | { readonly outcome: "timed-out"; readonly guidance: GuidanceCode | null; readonly challenge: ChallengeStatus | undefined }
  | { readonly outcome: "cancelled" };

/** Every input of the machine. Applicant events come from the UI, the rest from the shell. */
export type SessionEvent =
  /** Touch on the attract screen (or a card placed on it): the language screen. */
  | { readonly type: "start" }
  /** Any touch: restarts the screen's idle countdown. */
  | { readonly type: "touch" }
  /** The language toggle, on any screen: the screen stays. */
  | { readonly type: "set-language"; readonly language: SessionLanguage }
  /** A language chosen on the language screen: the consent screen. */
  | { readonly type: "choose-language"; readonly language: SessionLanguage }
  /** "同意并开始" (`agree`) or "不同意，去窗口办理". */
  | { readonly type: "consent"; readonly agree: boolean }
  /** "Try again" after a failed face attempt. */
  | { readonly type: "retry-face" }
  /** "Go to a staff window" instead of another attempt, or when no listed matter is recognised. */
  | { readonly type: "ask-for-staff" }
  | { readonly type: "toggle-matter"; readonly matterId: string; readonly confirmed: boolean }
  /** Continue with the confirmed matters (at least one). */
  | { readonly type: "confirm-matters" }
  /** The applicant signed (the shell holds the strokes and checked they are not empty). */
  | { readonly type: "signed" }
  /** "Start over": ends the session as `abandoned`. */
  | { readonly type: "start-over" }
  /** "Done" on the result screen. */
  | { readonly type: "done" }
  /** A card appeared on the reader. */
  | { readonly type: "card-inserted" }
  /**
   * The card was read; `rejections` are the shell's checks: `checkCard`
   * problems, an undecodable photo and the blocklist (empty when it passed).
   */
  | { readonly type: "card-read"; readonly card: SessionCard; readonly rejections: readonly CardRejection[] }
  /** The read failed (`read-failed`: lift and place it again) or the card's layout is not supported. */
  | { readonly type: "card-read-failed"; readonly reason: "read-failed" | "unsupported-card" }
  | { readonly type: "card-removed" }
  /** Guidance or challenge change during the capture of `attempt`. */
  | { readonly type: "face-update"; readonly attempt: number; readonly update: FaceUpdate }
  /** The capture of `attempt` ended; `model` identifies the embedding model that scored it. */
  | { readonly type: "face-outcome"; readonly attempt: number; readonly result: FaceAttemptResult; readonly model: string }
  /** The answer to `load-matters`. */
  | { readonly type: "matters-loaded"; readonly sessionId: string; readonly matters: readonly PendingMatter[] }
  /** The result of `sessionId` is committed to the store. */
  | { readonly type: "result-saved"; readonly sessionId: string }
  /** A device's state; repeating the current state is harmless. */
  | { readonly type: "device-status"; readonly device: SessionDevice; readonly ok: boolean }
  /** Time passed: send one at {@linkcode nextTimerAtMs} (any extra tick is harmless). */
  | { readonly type: "tick" };

/** Name of a {@linkcode SessionEvent}. */
export type SessionEventType = SessionEvent["type"];

/** The face evidence of a result: the decisive attempt's scores (absent when liveness failed first). */
export interface FaceEvidence {
  readonly model: string;
  readonly livenessPassed: boolean;
  readonly score?: { readonly similarity: number; readonly threshold: number };
}

/** One failed face attempt (reasons only). */
export interface AttemptRecord {
  /** 1-based. */
  readonly attempt: number;
  readonly reason: AttemptFailure;
}

/**
 * The result of a session as the machine knows it; the shell adds the
 * kiosk's identity and the signature and maps it to the result contract.
 * `card` is absent when the session ended before a card was read (declined,
 * unsupported card).
 */
export interface ResultDraft {
  readonly sessionId: string;
  readonly outcome: VerificationOutcome;
  readonly referralCode?: string;
  readonly card?: SessionCard;
  readonly cardRejections: readonly CardRejection[];
  readonly face?: FaceEvidence;
  readonly attempts: readonly AttemptRecord[];
  /** Confirmed and signed matters, one entry per role; empty unless verified. */
  readonly matters: readonly ConfirmedMatter[];
  readonly language: SessionLanguage;
  /** Kiosk clock, ISO 8601. */
  readonly startedAt: string;
  readonly signedAt?: string;
  readonly completedAt: string;
}

/** Commands for the shell, carried out in order. */
export type SessionEffect =
  /** Accept a card from now on. */
  | { readonly type: "start-card-reading" }
  /** No new card is wanted; a removal is still reported while a session holds the card. */
  | { readonly type: "stop-card-reading" }
  | { readonly type: "start-face-capture"; readonly sessionId: string; readonly attempt: number }
  /** Cancel the running capture; its outcome (`cancelled`) is not needed. */
  | { readonly type: "stop-face-capture" }
  /** Look up the open matters of this hall from the last 7 days that list `cardNumber`; answer `matters-loaded`. */
  | { readonly type: "load-matters"; readonly sessionId: string; readonly cardNumber: string }
  /** Commit the result (with the signature, for a verified one) and answer `result-saved`. */
  | { readonly type: "save-result"; readonly draft: ResultDraft }
  /** Drop and overwrite everything held for `sessionId` (chip photo, frames, embeddings, strokes), after any `save-result` before it. */
  | { readonly type: "wipe-session"; readonly sessionId: string }
  /** Play the voice clip `prompt` in `language`, with its caption. */
  | { readonly type: "play-prompt"; readonly prompt: SessionPromptKey; readonly language: SessionLanguage };

/** Why an event changed nothing. */
export const SESSION_REJECTIONS = {
  "not-in-step": "the event does not apply to the current step",
  "invalid-event": "the event is not a known event or carries an invalid value",
  "stale": "the event belongs to an earlier attempt or session",
  "unknown-matter": "no pending matter has this id",
  "nothing-confirmed": "at least one matter must be confirmed to go on",
} as const;

/** An event the machine refused; the state is unchanged. */
export interface SessionRejection {
  readonly code: keyof typeof SESSION_REJECTIONS;
  readonly event: string;
  readonly step: SessionStep;
  readonly message: string;
}

/** The idle countdown of a step (kiosk clock, epoch ms). */
export interface StepTimer {
  /** From here the screen shows "Need more time?" with the countdown (equal to the deadline when the step has no warning). */
  readonly warningAtMs: number;
  /** The step times out here. */
  readonly deadlineAtMs: number;
  /** True once the warning prompt was played. */
  readonly warned: boolean;
}

/** A running session before its end. `card` is set from the card's read on. */
export interface ActiveSession {
  readonly sessionId: string;
  readonly startedAtMs: number;
  readonly card?: SessionCard;
  readonly attempts: readonly AttemptRecord[];
  readonly face?: FaceEvidence;
}

/** A session whose card was read. */
export type CardSession = ActiveSession & { readonly card: SessionCard };

/** How a session ended, as the result screen shows it. Holds no personal data. */
export interface SessionEnding {
  readonly outcome: VerificationOutcome;
  readonly referralCode: string | null;
  readonly cardRejections: readonly CardRejection[];
  readonly attemptFailures: readonly AttemptFailure[];
}

/** Fields of every state. */
interface StateBase {
  readonly language: SessionLanguage;
  /** Devices at fault now; the kiosk is out of service while any is. */
  readonly faults: readonly SessionDevice[];
  /** Null on steps without a countdown (idle, out of service). */
  readonly timer: StepTimer | null;
}

/** The machine's state: one shape per step. */
export type SessionState =
  | (StateBase & { readonly step: "idle" })
  | (StateBase & { readonly step: "language" | "consent"; readonly session: ActiveSession })
  | (StateBase & { readonly step: "reading"; readonly session: ActiveSession })
  | (StateBase & { readonly step: "place-card"; readonly session: ActiveSession; readonly notice: PlaceCardNotice | null })
  | (StateBase & {
      readonly step: "face";
      readonly session: CardSession;
      /** 1-based, of `maxAttempts`. */
      readonly attempt: number;
      readonly maxAttempts: number;
      readonly guidance: GuidanceCode | null;
      readonly challenge: { readonly action: ChallengeAction; readonly step: number; readonly of: number } | null;
      /** When a guidance prompt was last played, to keep the voice from chattering. */
      readonly guidancePromptAtMs: number | null;
    })
  | (StateBase & { readonly step: "face-retry"; readonly session: CardSession; readonly maxAttempts: number; readonly reason: AttemptFailure })
  | (StateBase & {
      readonly step: "matters";
      readonly session: CardSession;
      /** Null while loading. */
      readonly matters: readonly PendingMatter[] | null;
      readonly confirmed: readonly string[];
    })
  | (StateBase & { readonly step: "signature"; readonly session: CardSession; readonly confirmed: readonly ConfirmedMatter[] })
  | (StateBase & { readonly step: "saving" | "result"; readonly sessionId: string; readonly ending: SessionEnding })
  | (StateBase & { readonly step: "out-of-service" });

/** What {@linkcode VerificationSession.step} returns. */
export interface StepResult {
  readonly state: SessionState;
  readonly effects: readonly SessionEffect[];
  /**
   * Set when the event was refused: it changed nothing, and `state` and
   * `effects` are those of a countdown that had run out before it (else the
   * input state and no effect).
   */
  readonly rejection: SessionRejection | null;
}
