/**
 * Reading fields of the 256-byte UCS-2LE text section (spec §6): decoding,
 * padding removal, dates and the sex code. Shared by the per-card parsers.
 */
import { compactDateToIso } from "@kiosk/contracts";
import { LONG_TERM_TEXT, SEX_CODES, TEXT_BYTES, type TextField } from "./constants.ts";

/** Why a text section could not be parsed. */
export const CARD_TEXT_ERROR_REASONS = {
  /** The text section is not 256 bytes (spec §6). */
  "bad-text-length": "text section is not 256 bytes",
  /** A date field is not YYYYMMDD forming a real date (or `长期` where allowed). */
  "bad-date": "date field is not a valid date",
  /** The sex code is not 1 (male) or 2 (female). */
  "unknown-sex": "sex code is not 1 or 2",
} as const;

/** Union of the keys of {@linkcode CARD_TEXT_ERROR_REASONS}. */
export type CardTextErrorReason = keyof typeof CARD_TEXT_ERROR_REASONS;

/** A text section that could not be parsed. */
export interface CardTextFailure {
  readonly ok: false;
  readonly reason: CardTextErrorReason;
  /** Name of the offending field, when one field is at fault. */
  readonly field?: string;
  /** Safe to log: it never quotes card content. */
  readonly message: string;
}

/** Sex as printed on the card. */
export type Sex = (typeof SEX_CODES)[keyof typeof SEX_CODES];

/** The value of valid-until on long-term cards (`长期`, spec §6.1). */
export const LONG_TERM = "long-term";

// Padding seen on cards: ASCII space (spec §6), NUL (spec §9) and the
// ideographic space U+3000 that full-width text may carry.
const PADDING = /^[\u0020\u0000\u3000]+|[\u0020\u0000\u3000]+$/g;
const UCS2 = new TextDecoder("utf-16le");

/** Removes leading and trailing padding: U+0020, U+0000 and U+3000. Inner spaces are kept. */
export function trimPadding(text: string): string {
  return text.replace(PADDING, "");
}

/** Decodes a field as UCS-2LE without trimming. */
export function readRawField(text: Uint8Array, field: TextField): string {
  return UCS2.decode(text.subarray(field.offset, field.offset + field.bytes));
}

/** Decodes a field as UCS-2LE and trims its padding; full-width characters are kept as on the card. */
export function readTextField(text: Uint8Array, field: TextField): string {
  return trimPadding(readRawField(text, field));
}

/** Checks the length of a text section. */
export function checkTextLength(text: Uint8Array): CardTextFailure | undefined {
  if (text.length === TEXT_BYTES) return undefined;
  return { ok: false, reason: "bad-text-length", message: `Text section has "${text.length}" bytes: expected ${TEXT_BYTES}` };
}

/** Result of the field parsers below. */
export type FieldResult<T> = { readonly ok: true; readonly value: T } | CardTextFailure;

/**
 * Reads a YYYYMMDD date field as ISO `YYYY-MM-DD`. With `allowLongTerm`,
 * `长期` gives {@linkcode LONG_TERM}.
 *
 * @param name field name reported on failure.
 */
export function readDateField(text: Uint8Array, field: TextField, name: string, allowLongTerm = false): FieldResult<string> {
  const raw = readTextField(text, field);
  if (allowLongTerm && raw === LONG_TERM_TEXT) return { ok: true, value: LONG_TERM };
  const iso = compactDateToIso(raw);
  if (iso !== undefined) return { ok: true, value: iso };
  // Only the length is reported: dates of birth are personal data.
  return { ok: false, reason: "bad-date", field: name, message: `Field "${name}" is not a YYYYMMDD date${allowLongTerm ? ` or "${LONG_TERM_TEXT}"` : ""}: ${raw.length} characters` };
}

/** Reads the one-character GB/T 2261.1 sex code (spec §6.1). */
export function readSexField(text: Uint8Array, field: TextField, name = "sex"): FieldResult<Sex> {
  const raw = readTextField(text, field);
  if (Object.hasOwn(SEX_CODES, raw)) return { ok: true, value: SEX_CODES[raw as keyof typeof SEX_CODES] };
  return { ok: false, reason: "unknown-sex", field: name, message: `Field "${name}" holds sex code "${raw}": expected "1" or "2"` };
}
