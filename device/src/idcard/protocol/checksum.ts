/**
 * The frame checksum: XOR of every byte from LEN_hi through the last payload
 * byte, preamble excluded (spec §2).
 */

/**
 * XORs `bytes[start..end)`.
 *
 * @param bytes the buffer holding the frame.
 * @param start index of LEN_hi.
 * @param end index one past the last payload byte (the index of CHK).
 * @returns the checksum byte, 0–255.
 * @example
 * ```ts
 * // AA AA AA 96 69 | 00 03 20 01 | 22
 * xorChecksum(Uint8Array.of(0x00, 0x03, 0x20, 0x01), 0, 4); // 0x22
 * ```
 */
export function xorChecksum(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] ?? 0;
  return x;
}
