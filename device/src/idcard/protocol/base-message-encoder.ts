/**
 * The inverse of `splitBaseMessage`: builds the data of a `30 01` or `30 10`
 * reply from its sections (spec §5.1, §5.2), and the whole reply frame. Used
 * by the reader simulator and tests.
 *
 * ```
 * 30 01: textLen photoLen          | text | photo
 * 30 10: textLen photoLen fpLen    | text | photo | fingerprint
 * ```
 */
import type { BaseMessageLayout } from "./base-message.ts";
import { BASE_FP_LENGTH_FIELDS, BASE_LENGTH_FIELDS, BYTE_BITS, BYTE_MAX, INNER_LENGTH_BYTES, PHOTO_BYTES } from "./constants.ts";
import { encodeResponse } from "./frame.ts";
import { SW3_OK } from "./status.ts";

/** The sections of a base-message reply. */
export interface BaseMessageParts {
  /** Text section, 256 bytes on every known card (spec §6). */
  readonly text: Uint8Array;
  /** Photo field as stored on the chip: 1024 bytes (see {@linkcode padPhoto}). */
  readonly photo: Uint8Array;
  /** Fingerprint templates, 0, 512 or 1024 bytes; only for the `base-fingerprint` layout. */
  readonly fingerprint?: Uint8Array;
}

// The status words of a successful read: SW1 SW2 are 00 00 (spec §2).
const SW1_OK = 0x00;
const SW2_OK = 0x00;
const EMPTY = new Uint8Array(0);
// Each inner length is a 2-byte big-endian count (spec §5.1).
const MAX_SECTION_BYTES = 0xffff;

/**
 * Zero-pads a photo to the 1024-byte chip field (spec §5.1, §8). The
 * simulator stores a small JPEG or WebP this way; decoders stop at the
 * image's own end marker, so the padding is harmless.
 *
 * @throws {RangeError} when the photo is longer than 1024 bytes.
 */
export function padPhoto(photo: Uint8Array): Uint8Array {
  if (photo.length > PHOTO_BYTES) {
    throw new RangeError(`Photo has "${photo.length}" bytes: the chip's photo field holds at most ${PHOTO_BYTES}`);
  }
  const out = new Uint8Array(PHOTO_BYTES);
  out.set(photo);
  return out;
}

/**
 * Builds the data of a base-message reply: the big-endian inner lengths,
 * then the sections.
 *
 * @param layout `base` for `30 01`, `base-fingerprint` for `30 10`.
 * @throws {RangeError} when a section is longer than 65535 bytes, or a
 *   fingerprint is given for the `base` layout.
 */
export function encodeBaseMessage(parts: BaseMessageParts, layout: BaseMessageLayout): Uint8Array {
  const fingerprint = parts.fingerprint ?? EMPTY;
  if (layout === "base" && fingerprint.length > 0) {
    throw new RangeError(`Cannot put "${fingerprint.length}" fingerprint bytes in a "base" (30 01) reply: use "base-fingerprint"`);
  }
  const sections = layout === "base" ? [parts.text, parts.photo] : [parts.text, parts.photo, fingerprint];
  const fields = layout === "base" ? BASE_LENGTH_FIELDS : BASE_FP_LENGTH_FIELDS;
  const header = fields * INNER_LENGTH_BYTES;
  const out = new Uint8Array(header + sections.reduce((sum, s) => sum + s.length, 0));
  let offset = header;
  sections.forEach((section, i) => {
    if (section.length > MAX_SECTION_BYTES) throw new RangeError(`Base-message section has "${section.length}" bytes: at most ${MAX_SECTION_BYTES}`);
    out[i * INNER_LENGTH_BYTES] = section.length >> BYTE_BITS;
    out[i * INNER_LENGTH_BYTES + 1] = section.length & BYTE_MAX;
    out.set(section, offset);
    offset += section.length;
  });
  return out;
}

/**
 * Builds the whole successful reply frame to `30 01` or `30 10` (SW 00 00 90).
 *
 * @throws {RangeError} as {@linkcode encodeBaseMessage}, or when the frame exceeds the maximum size.
 */
export function encodeBaseMessageReply(parts: BaseMessageParts, layout: BaseMessageLayout): Uint8Array {
  return encodeResponse(SW1_OK, SW2_OK, SW3_OK, encodeBaseMessage(parts, layout));
}
