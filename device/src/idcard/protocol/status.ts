/**
 * SW3, the SAM's own status byte in every response (spec §4), as typed
 * values: a name, an English meaning, a category and whether retrying can
 * help.
 */
import { hexByte } from "./hex.ts";

/** Broad classes of SW3 outcomes. */
export const STATUS_CATEGORIES = {
  /** The operation succeeded. */
  "ok": "operation succeeded",
  /** `20 01` found a card. */
  "card-found": "a card was found",
  /** The card has no content for the item asked for (e.g. no appended address). */
  "no-content": "the card has no content for this item",
  /** No card in the field. */
  "no-card": "no card in the field",
  /** The card could not be authenticated, selected or read. */
  "card-error": "the card could not be authenticated, selected or read",
  /** The SAM itself is faulty or not authorised. */
  "sam-error": "the security module is faulty or not authorised",
  /** The host sent a bad request (checksum, length, command). */
  "host-error": "the host sent a bad request",
  /** A code this table does not know. */
  "unknown": "unknown status",
} as const;

/** Union of the keys of {@linkcode STATUS_CATEGORIES}. */
export type StatusCategory = keyof typeof STATUS_CATEGORIES;

interface StatusEntry {
  readonly name: string;
  readonly meaning: string;
  readonly category: StatusCategory;
  /**
   * `true` when repeating the command (or the find–select–read sequence,
   * possibly after the card is re-placed) can succeed.
   */
  readonly retryable: boolean;
  /** `false` for codes that only host DLLs return and that never appear on the wire. */
  readonly onWire: boolean;
}

/** Every SW3 code of spec §4, keyed by its byte value. */
export const SW3_STATUS = {
  0x90: { name: "ok", meaning: "Operation succeeded", category: "ok", retryable: false, onWire: true },
  0x91: { name: "no-content", meaning: "The card has no content for this item", category: "no-content", retryable: false, onWire: true },
  0x9f: { name: "card-found", meaning: "Card found", category: "card-found", retryable: false, onWire: true },
  // Host-side transmission errors: a resend can get through uncorrupted.
  0x10: { name: "host-checksum-error", meaning: "Checksum of the host's data is wrong", category: "host-error", retryable: true, onWire: true },
  0x11: { name: "host-length-error", meaning: "Length of the host's data is wrong", category: "host-error", retryable: true, onWire: true },
  0x21: { name: "command-error", meaning: "Command error: values or combination invalid", category: "host-error", retryable: false, onWire: true },
  0x23: { name: "unauthorised-operation", meaning: "Operation not permitted (e.g. reading before find and select)", category: "host-error", retryable: false, onWire: true },
  0x24: { name: "unrecognised-error", meaning: "Unrecognised error", category: "sam-error", retryable: true, onWire: true },
  // Card-side failures are usually a card moved mid-read: re-place and retry (spec §3.1).
  0x31: { name: "card-auth-sam-failed", meaning: "The card failed to authenticate the SAM", category: "card-error", retryable: true, onWire: true },
  0x32: { name: "sam-auth-card-failed", meaning: "The SAM failed to authenticate the card", category: "card-error", retryable: true, onWire: true },
  0x33: { name: "verification-error", meaning: "Information verification error", category: "card-error", retryable: true, onWire: true },
  0x40: { name: "unknown-card-type", meaning: "Unrecognised card type", category: "card-error", retryable: false, onWire: true },
  0x41: { name: "read-failed", meaning: "Reading the card failed", category: "card-error", retryable: true, onWire: true },
  0x47: { name: "random-failed", meaning: "Getting a random number from the card failed", category: "card-error", retryable: true, onWire: true },
  0x60: { name: "sam-self-test-failed", meaning: "SAM self-test failed; it cannot accept commands", category: "sam-error", retryable: false, onWire: true },
  0x66: { name: "sam-not-authorised", meaning: "SAM not authorised; it cannot be used", category: "sam-error", retryable: false, onWire: true },
  // "No card" is the normal idle answer of the find poll.
  0x80: { name: "find-failed", meaning: "Find card failed: no card in the field", category: "no-card", retryable: true, onWire: true },
  0x81: { name: "select-failed", meaning: "Select card failed", category: "card-error", retryable: true, onWire: true },
  // Host-DLL-only codes (spec §4): never sent by a SAM, listed so a vendor
  // SDK adapter can map its return values through the same table.
  0x01: { name: "port-open-failed", meaning: "Port open failed or invalid port (host DLL only)", category: "host-error", retryable: true, onWire: false },
  0x02: { name: "receive-timeout", meaning: "PC receive timeout (host DLL only)", category: "host-error", retryable: true, onWire: false },
  0x03: { name: "transfer-error", meaning: "Data transfer error (host DLL only)", category: "host-error", retryable: true, onWire: false },
  0x05: { name: "serial-port-unusable", meaning: "SAM serial port unusable (host DLL only)", category: "host-error", retryable: false, onWire: false },
} as const satisfies Record<number, StatusEntry>;

/** A known SW3 value. */
export type KnownSw3 = keyof typeof SW3_STATUS;

/** SW3 of a successful operation (spec §4). */
export const SW3_OK = 0x90;
/** SW3 of "no content for this item" (spec §4, §5.3). */
export const SW3_NO_CONTENT = 0x91;
/** SW3 of a successful find (spec §4). */
export const SW3_CARD_FOUND = 0x9f;

/** A described SW3 value. */
export interface SamStatus extends StatusEntry {
  /** The SW3 byte. */
  readonly code: number;
  /** `false` for codes missing from {@linkcode SW3_STATUS}. */
  readonly known: boolean;
}

/**
 * Describes an SW3 byte. Unknown codes give category `unknown`, not
 * retryable, with the code in the name (e.g. `unknown-0x4f`).
 *
 * @example
 * ```ts
 * describeStatus(0x80); // { code: 128, name: "find-failed", category: "no-card", retryable: true, ... }
 * ```
 */
export function describeStatus(sw3: number): SamStatus {
  const entry: StatusEntry | undefined = isKnownSw3(sw3) ? SW3_STATUS[sw3] : undefined;
  if (entry) return { code: sw3, known: true, ...entry };
  const hex = hexByte(sw3);
  return {
    code: sw3,
    known: false,
    name: `unknown-0x${hex.toLowerCase()}`,
    meaning: `Unknown status 0x${hex}`,
    category: "unknown",
    retryable: false,
    onWire: true,
  };
}

/** True when `sw3` is listed in {@linkcode SW3_STATUS}. */
export function isKnownSw3(sw3: number): sw3 is KnownSw3 {
  return Object.hasOwn(SW3_STATUS, sw3);
}
