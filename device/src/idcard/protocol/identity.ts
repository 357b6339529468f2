/**
 * A whole card read: from a `30 01` / `30 10` reply frame to a typed
 * {@linkcode IdentityRecord} (STYLE §2 `identity.ts`). The photo is passed
 * through unchanged; decoding WLT needs the vendor's licensed library (spec §8).
 */
import { parseCardText, type CardText } from "./card-text.ts";
import { decodeFrame, readResponse, type Frame, type FrameErrorReason } from "./frame.ts";
import { sniffPhotoFormat, splitBaseMessage, type BaseMessageLayout, type PhotoFormat } from "./base-message.ts";
import { hexByte } from "./hex.ts";
import { describeStatus, SW3_OK, type SamStatus } from "./status.ts";
import type { CardTextErrorReason } from "./text-field.ts";

/** What a card read yields. */
export interface IdentityRecord {
  readonly card: CardText;
  readonly photo: {
    readonly format: PhotoFormat;
    /** The photo bytes exactly as read (a 1024-byte WLT blob from a real reader). */
    readonly bytes: Uint8Array;
  };
  /** Fingerprint templates (0, 512 or 1024 bytes); empty for a `30 01` read. */
  readonly fingerprint: Uint8Array;
  /** Which reply layout the data had: `base` (30 01) or `base-fingerprint` (30 10). */
  readonly layout: BaseMessageLayout;
}

/** Every reason a card-read reply can be rejected. */
export type IdentityErrorReason =
  | FrameErrorReason
  | "trailing-bytes"
  | "status-error"
  | "bad-layout"
  | CardTextErrorReason;

/** Result of {@linkcode parseIdentityReply} and {@linkcode decodeIdentityReply}. */
export type IdentityResult =
  | { readonly ok: true; readonly identity: IdentityRecord }
  | {
      readonly ok: false;
      readonly reason: IdentityErrorReason;
      /** Safe to log: never quotes card content. */
      readonly message: string;
      /** The SAM status, for `status-error`. */
      readonly status?: SamStatus;
    };

/**
 * Parses a decoded reply to `30 01` or `30 10`. Never throws.
 *
 * @returns the identity, or a failure: `bad-length` (not a response),
 *   `status-error` (SW3 is not 90), `bad-layout`, `bad-text-length`,
 *   `bad-date`, `unknown-sex`.
 */
export function parseIdentityReply(frame: Frame): IdentityResult {
  const read = readResponse(frame);
  if (!read.ok) return read;
  const { response } = read;
  if (response.sw3 !== SW3_OK) {
    const status = describeStatus(response.sw3);
    return { ok: false, reason: "status-error", status, message: `Card read failed with status "${status.name}" (SW3 0x${hexByte(status.code)}): ${status.meaning}` };
  }
  const split = splitBaseMessage(response);
  if (!split.ok) return split;
  const text = parseCardText(split.message.text);
  if (!text.ok) return { ok: false, reason: text.reason, message: text.message };
  return {
    ok: true,
    identity: {
      card: text.card,
      photo: { format: sniffPhotoFormat(split.message.photo), bytes: split.message.photo },
      fingerprint: split.message.fingerprint,
      layout: split.message.layout,
    },
  };
}

/**
 * Decodes bytes holding exactly one whole reply frame to `30 01` / `30 10`.
 * Never throws; bytes after the frame give `trailing-bytes`.
 */
export function decodeIdentityReply(bytes: Uint8Array): IdentityResult {
  const decoded = decodeFrame(bytes);
  if (!decoded.ok) return decoded;
  if (decoded.frame.bytes.length !== bytes.length) {
    return {
      ok: false,
      reason: "trailing-bytes",
      message: `Input holds ${bytes.length - decoded.frame.bytes.length} bytes after the ${decoded.frame.bytes.length}-byte frame: expected exactly one frame`,
    };
  }
  return parseIdentityReply(decoded.frame);
}

