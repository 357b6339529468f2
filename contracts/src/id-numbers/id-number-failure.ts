/**
 * The shared failure shape of every identity-number parser in this folder.
 *
 * Parsing a number someone typed or a chip returned is an expected outcome,
 * so the parsers return a value instead of throwing. Messages never repeat
 * the number itself: it is personal data and messages end up in logs.
 */

/** Every reason a number can be rejected, with what it means. */
export const ID_NUMBER_FAILURE_REASONS = {
  /** The number has the wrong count of characters. */
  "bad-length": "wrong number of characters",
  /** A character is not allowed at its position. */
  "bad-charset": "character not allowed at its position",
  /** The check character does not match the computed one. */
  "bad-check-digit": "check character does not match",
  /** The embedded birth date is not a plausible calendar date. */
  "bad-birth-date": "embedded birth date is not plausible",
  /** The embedded region or province code is not a known one. */
  "bad-region": "embedded region code is not known",
  /** A fixed marker character (such as the leading 9 of 2023 foreign numbers) is wrong. */
  "bad-prefix": "fixed marker character is wrong",
  /** The registration-authority code of a social credit code is not assigned. */
  "bad-registration-authority": "registration-authority code is not assigned",
  /** The entity-type code is not assigned for its registration authority. */
  "bad-entity-type": "entity-type code is not assigned",
} as const;

/** Union of the reasons in {@linkcode ID_NUMBER_FAILURE_REASONS}. */
export type IdNumberFailureReason = keyof typeof ID_NUMBER_FAILURE_REASONS;

/** A rejected number: a machine-readable reason plus a message for people. */
export interface IdNumberFailure {
  readonly ok: false;
  readonly reason: IdNumberFailureReason;
  /** Sentence-case explanation without the number itself, safe to log. */
  readonly message: string;
}

/** Builds an {@linkcode IdNumberFailure}. */
export function idNumberFailure(reason: IdNumberFailureReason, message: string): IdNumberFailure {
  return { ok: false, reason, message };
}
