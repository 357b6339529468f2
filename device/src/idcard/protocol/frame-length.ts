/**
 * How long the frame at the start of a buffer is, from its header alone
 * (spec §2: total = 7 + LEN). HID readers pad each reply to whole 64-byte
 * reports (spec §10.1); the HID transport asks this function where a frame
 * ends so that it can drop the padding.
 */
import { BYTE_BITS, HEADER_BYTES, LEN_HI_OFFSET, LEN_LO_OFFSET, MAX_LEN, MIN_LEN, PREAMBLE, PREAMBLE_BYTES } from "./constants.ts";

/**
 * The whole length in bytes of the frame starting at `buffered[0]`, once its
 * 7 header bytes are known.
 *
 * @returns `7 + LEN`, or `undefined` while fewer than 7 bytes are known, when
 *   the bytes do not start with the preamble, or when LEN is out of range
 *   (the deframer then judges the bytes).
 * @example
 * ```ts
 * frameLengthOf(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x05, 0x08)); // 1295
 * ```
 */
export function frameLengthOf(buffered: Uint8Array): number | undefined {
  if (buffered.length < HEADER_BYTES) return undefined;
  for (let i = 0; i < PREAMBLE_BYTES; i++) if (buffered[i] !== PREAMBLE[i]) return undefined;
  const len = ((buffered[LEN_HI_OFFSET] ?? 0) << BYTE_BITS) | (buffered[LEN_LO_OFFSET] ?? 0);
  if (len < MIN_LEN || len > MAX_LEN) return undefined;
  return HEADER_BYTES + len;
}
