/**
 * The playing time of an Ogg Opus file, read from its pages: the granule
 * position of the last page (48 kHz samples) minus the pre-skip of the Opus
 * header (RFC 7845 §4). Pure: bytes in, milliseconds out.
 */

const CAPTURE_PATTERN = [0x4f, 0x67, 0x67, 0x53]; // "OggS", RFC 3533 §6
const GRANULE_OFFSET = 6;
const GRANULE_BYTES = 8;
const PAGE_SEGMENTS_OFFSET = 26;
const SEGMENT_TABLE_OFFSET = 27;
const OPUS_HEAD = "OpusHead";
// RFC 7845 §5.1: the pre-skip is a little-endian u16 at byte 10 of the identification header.
const PRE_SKIP_OFFSET = 10;
const OPUS_RATE_HZ = 48_000;

/**
 * Playing time of the Ogg Opus file `bytes`, in whole milliseconds.
 *
 * @throws {SyntaxError} when `bytes` is not an Ogg stream starting with an Opus identification header.
 */
export function oggOpusDurationMs(bytes: Uint8Array): number {
  if (!isPageAt(bytes, 0)) throw new SyntaxError("Not an Ogg stream: no \"OggS\" page at the start");
  const headerStart = SEGMENT_TABLE_OFFSET + (bytes[PAGE_SEGMENTS_OFFSET] ?? 0);
  const head = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + OPUS_HEAD.length));
  if (head !== OPUS_HEAD) throw new SyntaxError(`Not an Ogg Opus stream: the first packet starts "${head}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const preSkip = view.getUint16(headerStart + PRE_SKIP_OFFSET, true);
  let last = -1;
  for (let i = bytes.length - SEGMENT_TABLE_OFFSET; i >= 0; i--) {
    if (isPageAt(bytes, i)) {
      last = i;
      break;
    }
  }
  const granule = last + GRANULE_OFFSET + GRANULE_BYTES <= bytes.length ? view.getBigUint64(last + GRANULE_OFFSET, true) : 0n;
  const samples = Number(granule) - preSkip;
  return samples > 0 ? Math.round((samples * 1000) / OPUS_RATE_HZ) : 0;
}

function isPageAt(bytes: Uint8Array, at: number): boolean {
  return CAPTURE_PATTERN.every((b, i) => bytes[at + i] === b);
}
