/**
 * Hex text ⇄ bytes, for vectors, captures and log-safe dumps.
 */

const HEX_PAIR_CHARS = 2;
const HEX_RADIX = 16;
const WHITESPACE = /\s+/g;
const HEX_TEXT = /^(?:[0-9A-Fa-f]{2})*$/;

/**
 * Parses hex text such as `AA AA AA 96 69`; whitespace (spaces, newlines,
 * tabs) anywhere is ignored.
 *
 * @returns the bytes, or `undefined` when the text holds anything but an
 *   even number of hex digits (or no digit at all).
 */
export function parseHex(text: string): Uint8Array | undefined {
  const digits = text.replace(WHITESPACE, "");
  if (digits.length === 0 || !HEX_TEXT.test(digits)) return undefined;
  const out = new Uint8Array(digits.length / HEX_PAIR_CHARS);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(digits.slice(i * HEX_PAIR_CHARS, (i + 1) * HEX_PAIR_CHARS), HEX_RADIX);
  }
  return out;
}

/** Formats one byte as two upper-case hex digits, e.g. `9F`. */
export function hexByte(value: number): string {
  return value.toString(HEX_RADIX).toUpperCase().padStart(HEX_PAIR_CHARS, "0");
}

/**
 * Formats bytes as upper-case hex.
 *
 * @param separator put between bytes; none by default.
 * @example
 * ```ts
 * toHex(Uint8Array.of(0xaa, 0x96), " "); // "AA 96"
 * ```
 */
export function toHex(bytes: Uint8Array, separator = ""): string {
  const parts: string[] = [];
  for (const b of bytes) parts.push(hexByte(b));
  return parts.join(separator);
}

/**
 * Reads a file's content as either hex text or raw bytes: when the bytes are
 * printable hex digits and whitespace, they are parsed as hex; otherwise they
 * are returned unchanged. A frame always starts with `AA`, which is not ASCII,
 * so a raw frame is never mistaken for hex text.
 */
export function hexOrRawBytes(content: Uint8Array): Uint8Array {
  // latin1 maps every byte to one character, so non-ASCII bytes simply fail
  // the hex test instead of being replaced or throwing.
  return parseHex(new TextDecoder("latin1").decode(content)) ?? content;
}
