/**
 * What the session service holds of one session outside the machine's
 * state: the decoded chip photo, the signature strokes, how each face
 * capture ended and the challenge actions asked for. `wipe()` overwrites the
 * buffers and drops every reference (the `wipe-session` effect).
 */
import type { ChallengeAction, Signature } from "@kiosk/contracts";
import type { FaceAttemptResult } from "../domain/verification-session-types.ts";
import type { RgbImage } from "../ports.ts";

/** The private data of one session, by id. */
export class SessionHeldData {
  readonly sessionId: string;
  #chipPhoto: RgbImage | undefined;
  #signature: Signature | undefined;
  #captures: FaceAttemptResult[] = [];
  #actions: ChallengeAction[] = [];

  constructor(sessionId: string) {
    this.sessionId = sessionId;
  }

  /** The decoded chip photo, or undefined before the card's read and after the wipe. */
  get chipPhoto(): RgbImage | undefined {
    return this.#chipPhoto;
  }

  get signature(): Signature | undefined {
    return this.#signature;
  }

  /** How each capture ended, in order. */
  get captures(): readonly FaceAttemptResult[] {
    return this.#captures;
  }

  /** The challenge actions asked for in the latest capture, in order. */
  get actions(): readonly ChallengeAction[] {
    return this.#actions;
  }

  /** Keeps `photo` (handed over: the caller keeps no other reference), overwriting any earlier one. */
  holdChipPhoto(photo: RgbImage): void {
    this.#chipPhoto?.data.fill(0);
    this.#chipPhoto = photo;
  }

  /** Keeps `signature` (handed over), overwriting any earlier one. */
  holdSignature(signature: Signature): void {
    if (this.#signature) zeroSignature(this.#signature);
    this.#signature = signature;
  }

  /** Overwrites and drops the signature (it was refused). */
  dropSignature(): void {
    if (this.#signature) zeroSignature(this.#signature);
    this.#signature = undefined;
  }

  /** A new capture begins: its challenge actions start empty. */
  captureStarted(): void {
    this.#actions = [];
  }

  /** The running capture asked for `action`. */
  actionAsked(action: ChallengeAction): void {
    this.#actions.push(action);
  }

  captureEnded(result: FaceAttemptResult): void {
    this.#captures.push(result);
  }

  /** Overwrites the chip photo's pixels and the signature's strokes with zeros and drops everything. */
  wipe(): void {
    this.#chipPhoto?.data.fill(0);
    this.#chipPhoto = undefined;
    this.dropSignature();
    this.#captures = [];
    this.#actions = [];
  }
}

/**
 * Overwrites `bytes` with zeros. A buffer already handed to a worker is
 * detached (length 0): its pixels left with it, and there is nothing to overwrite here.
 */
export function zeroBytes(bytes: Uint8Array): void {
  if (bytes.byteLength > 0) bytes.fill(0);
}

/** Overwrites every stroke of `signature` with zeros. */
export function zeroSignature(signature: Signature): void {
  for (const stroke of signature.strokes) stroke.fill(0);
}
