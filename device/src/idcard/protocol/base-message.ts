/**
 * The data of a `30 01` (text + photo) or `30 10` (text + photo +
 * fingerprint) reply, split by its big-endian inner lengths (spec §5.1, §5.2).
 *
 * ```
 * 30 01: textLen photoLen          | text | photo
 * 30 10: textLen photoLen fpLen    | text | photo | fingerprint
 * ```
 *
 * The two layouts are told apart by the lengths themselves: only one of them
 * adds up to the data length (the 30 10 form is always 2 bytes longer plus
 * the fingerprint), so the caller need not say which command it sent.
 */
import {
  BASE_FP_LENGTH_FIELDS,
  BASE_LENGTH_FIELDS,
  BYTE_BITS,
  INNER_LENGTH_BYTES,
  JPEG_MAGIC,
  RIFF_MAGIC,
  WEBP_MAGIC,
  WEBP_MAGIC_OFFSET,
  WLT_MAGIC,
} from "./constants.ts";
import type { ResponseView } from "./frame.ts";

/** Which reply layout the data had. */
export type BaseMessageLayout = "base" | "base-fingerprint";

/** The sections of a base-message reply; they share memory with the frame. */
export interface BaseMessage {
  readonly layout: BaseMessageLayout;
  /** Text section, 256 bytes on every known card (spec §6). */
  readonly text: Uint8Array;
  /** Photo, 1024-byte WLT from a real reader (spec §8). */
  readonly photo: Uint8Array;
  /** Fingerprint templates: 0, 512 or 1024 bytes; empty for the `base` layout. */
  readonly fingerprint: Uint8Array;
}

/** Result of {@linkcode splitBaseMessage}. */
export type SplitBaseMessageResult =
  | { readonly ok: true; readonly message: BaseMessage }
  | { readonly ok: false; readonly reason: "bad-layout"; readonly message: string };

// Offsets of the inner length fields inside the reply data (spec §5.1, §5.2).
const TEXT_LENGTH_OFFSET = 0;
const PHOTO_LENGTH_OFFSET = INNER_LENGTH_BYTES;
const FINGERPRINT_LENGTH_OFFSET = 2 * INNER_LENGTH_BYTES;

function u16be(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << BYTE_BITS) | (bytes[offset + 1] ?? 0);
}

/**
 * Splits the data of a successful `30 01` / `30 10` reply. The status byte is
 * not checked here.
 *
 * @returns the sections, or `bad-layout` when neither layout's lengths add
 *   up to the data length (truncated or vendor-specific replies, spec §2).
 */
export function splitBaseMessage(response: ResponseView): SplitBaseMessageResult {
  const data = response.data;
  const baseHeader = BASE_LENGTH_FIELDS * INNER_LENGTH_BYTES;
  const fpHeader = BASE_FP_LENGTH_FIELDS * INNER_LENGTH_BYTES;
  if (data.length < baseHeader) {
    return { ok: false, reason: "bad-layout", message: `Base message has ${data.length} data bytes: too short for the inner lengths` };
  }
  const textLength = u16be(data, TEXT_LENGTH_OFFSET);
  const photoLength = u16be(data, PHOTO_LENGTH_OFFSET);
  if (baseHeader + textLength + photoLength === data.length) {
    const photoStart = baseHeader + textLength;
    return {
      ok: true,
      message: {
        layout: "base",
        text: data.subarray(baseHeader, photoStart),
        photo: data.subarray(photoStart, photoStart + photoLength),
        fingerprint: data.subarray(data.length),
      },
    };
  }
  if (data.length >= fpHeader) {
    const fingerprintLength = u16be(data, FINGERPRINT_LENGTH_OFFSET);
    if (fpHeader + textLength + photoLength + fingerprintLength === data.length) {
      const photoStart = fpHeader + textLength;
      const fingerprintStart = photoStart + photoLength;
      return {
        ok: true,
        message: {
          layout: "base-fingerprint",
          text: data.subarray(fpHeader, photoStart),
          photo: data.subarray(photoStart, fingerprintStart),
          fingerprint: data.subarray(fingerprintStart),
        },
      };
    }
  }
  return {
    ok: false,
    reason: "bad-layout",
    message: `Base message inner lengths (text ${textLength}, photo ${photoLength}) do not add up to its ${data.length} data bytes`,
  };
}

/** Photo formats recognised by their first bytes. */
export const PHOTO_FORMATS = {
  /** The chip's proprietary wavelet format, `57 4C 66` "WLf" (spec §8). */
  wlt: "WLT (needs the vendor's licensed decoder)",
  /** JPEG, `FF D8 FF` (from simulators or decoding bridges). */
  jpeg: "JPEG",
  /** WebP, `RIFF....WEBP`. */
  webp: "WebP",
  /** Anything else. */
  unknown: "unknown",
} as const;

/** Union of the keys of {@linkcode PHOTO_FORMATS}. */
export type PhotoFormat = keyof typeof PHOTO_FORMATS;

function startsWith(bytes: Uint8Array, magic: Readonly<Uint8Array>, offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[offset + i] !== magic[i]) return false;
  return true;
}

/** Tells the photo format from its first bytes. */
export function sniffPhotoFormat(photo: Uint8Array): PhotoFormat {
  if (startsWith(photo, WLT_MAGIC)) return "wlt";
  if (startsWith(photo, JPEG_MAGIC)) return "jpeg";
  if (startsWith(photo, RIFF_MAGIC) && startsWith(photo, WEBP_MAGIC, WEBP_MAGIC_OFFSET)) return "webp";
  return "unknown";
}
