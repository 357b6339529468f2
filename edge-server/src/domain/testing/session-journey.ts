/**
 * Test fixtures of the verification session machine: a card, pending
 * matters, and a {@linkcode Journey} that drives a machine along the
 * passing path to any step, with a clock of its own.
 */
import { seededRandom, type SessionStep } from "@kiosk/contracts";
import { VerificationSession } from "../verification-session.ts";
import type { SessionSettings } from "../verification-session-settings.ts";
import type { FaceAttemptResult, PendingMatter, SessionCard, SessionEffect, SessionEvent, SessionState, StepResult } from "../verification-session-types.ts";

/** A resident card whose number, name and birth date must never leave the session. */
export const CARD: SessionCard = {
  cardType: "resident",
  idNumber: "11010519491231002X",
  name: "张三丰",
  sex: "male",
  birthDate: "1949-12-31",
  validUntil: "long-term",
};

/** Two open matters listing the card holder, one with two roles. */
export const MATTERS: readonly PendingMatter[] = [
  { matterId: "M-1", companyName: "北京示例科技有限公司", kind: "establishment", roles: ["legal-representative", "shareholder"] },
  { matterId: "M-2", companyName: "上海样本贸易有限公司", kind: "change", roles: ["director"] },
];

/** The face model id the fixtures score with. */
export const MODEL = "test-model@1";

/** Capture results, as the face capture reports them. */
export const FACE = {
  matched: { outcome: "matched", decision: { similarity: 0.71, threshold: 0.42 } },
  notMatched: { outcome: "not-matched", decision: { similarity: 0.12, threshold: 0.42 } },
  notLive: { outcome: "not-live", liveness: { live: false, reason: "not-real" } },
  tooDark: { outcome: "timed-out", guidance: "too-dark", challenge: undefined },
} as const satisfies Record<string, FaceAttemptResult>;

/** Epoch ms the journeys start at. */
export const T0 = Date.UTC(2026, 11, 8, 1, 0, 0);

// The passing path: the event that leaves each step.
const PATH: Partial<Record<SessionStep, (j: Journey) => SessionEvent>> = {
  "idle": () => ({ type: "start" }),
  "language": () => ({ type: "choose-language", language: "zh" }),
  "consent": () => ({ type: "consent", agree: true }),
  "place-card": () => ({ type: "card-inserted" }),
  "reading": () => ({ type: "card-read", card: CARD, rejections: [] }),
  "face": (j) => ({ type: "face-outcome", attempt: j.attempt, result: FACE.matched, model: MODEL }),
  "matters": (j) =>
    j.mattersLoaded ? (j.confirmedCount > 0 ? { type: "confirm-matters" } : { type: "toggle-matter", matterId: "M-1", confirmed: true }) : { type: "matters-loaded", sessionId: j.sessionId, matters: MATTERS },
  "signature": () => ({ type: "signed" }),
  "saving": (j) => ({ type: "result-saved", sessionId: j.sessionId }),
};

/** Drives one machine; every effect it produced is kept in `effects`. */
export class Journey {
  readonly machine: VerificationSession;
  state: SessionState;
  nowMs = T0;
  readonly effects: SessionEffect[] = [];
  last: StepResult | undefined;

  constructor(settings?: SessionSettings) {
    let sessions = 0;
    this.machine = new VerificationSession({ ...(settings ? { settings } : {}), random: seededRandom(7), newSessionId: () => `00000000-0000-4000-8000-${String(++sessions).padStart(12, "0")}` });
    this.state = this.machine.initial();
  }

  /** Applies `event` after `afterMs` more milliseconds. */
  send(event: SessionEvent, afterMs = 0): StepResult {
    this.nowMs += afterMs;
    this.last = this.machine.step(this.state, event, this.nowMs);
    this.state = this.last.state;
    this.effects.push(...this.last.effects);
    return this.last;
  }

  /** Follows the passing path until the machine is on `step` (and, for `matters`, loaded when `loaded`). */
  to(step: SessionStep, options: { readonly loaded?: boolean } = {}): this {
    for (let guard = 0; guard < 20; guard++) {
      if (this.state.step === step && (step !== "matters" || this.mattersLoaded === (options.loaded ?? true))) return this;
      const next = PATH[this.state.step]?.(this);
      if (!next) break;
      const result = this.send(next);
      if (result.rejection) throw new Error(`Journey refused: ${result.rejection.message}`);
    }
    throw new Error(`Journey cannot reach step "${step}" from "${this.state.step}"`);
  }

  get sessionId(): string {
    const state = this.state;
    if ("session" in state) return state.session.sessionId;
    if ("sessionId" in state) return state.sessionId;
    throw new Error(`No session on step "${state.step}"`);
  }

  get attempt(): number {
    return this.state.step === "face" ? this.state.attempt : 0;
  }

  get mattersLoaded(): boolean {
    return this.state.step === "matters" && this.state.matters !== null;
  }

  get confirmedCount(): number {
    return this.state.step === "matters" ? this.state.confirmed.length : 0;
  }

  /** The effects of `type` produced so far. */
  effectsOf<T extends SessionEffect["type"]>(type: T): Extract<SessionEffect, { type: T }>[] {
    return this.effects.filter((e): e is Extract<SessionEffect, { type: T }> => e.type === type);
  }
}
