/**
 * Encoding and decoding of whole GA 467 frames (spec §2):
 *
 * ```
 * request : AA AA AA 96 69 | L1 L2 | CMD | PARA | DATA… | CHK
 * response: AA AA AA 96 69 | L1 L2 | SW1 | SW2 | SW3 | DATA… | CHK
 * ```
 *
 * LEN (big-endian) counts every byte after it, checksum included; CHK is the
 * XOR of L1 through the last payload byte. Decoding is driven by LEN only and
 * never throws on bad bytes: it returns a reason.
 */
import { xorChecksum } from "./checksum.ts";
import { hexByte } from "./hex.ts";
import {
  BYTE_BITS,
  BYTE_MAX,
  CHECKSUM_BYTES,
  CMD_OFFSET,
  HEADER_BYTES,
  LEN_HI_OFFSET,
  LEN_LO_OFFSET,
  MAX_FRAME_BYTES,
  MAX_LEN,
  MIN_LEN,
  MIN_RESPONSE_LEN,
  PARA_OFFSET,
  PAYLOAD_OFFSET,
  PREAMBLE,
  PREAMBLE_BYTES,
  REQUEST_HEADER_BYTES,
  RESPONSE_HEADER_BYTES,
  SW1_OFFSET,
  SW2_OFFSET,
  SW3_OFFSET,
  type CommandCode,
} from "./constants.ts";

/** A frame whose preamble, length and checksum are valid. */
export interface Frame {
  /** The whole frame, preamble through checksum. */
  readonly bytes: Uint8Array;
  /** The LEN field: bytes after the length field, checksum included. */
  readonly len: number;
  /** The bytes between the length field and the checksum (CMD PARA DATA or SW1 SW2 SW3 DATA). */
  readonly payload: Uint8Array;
  readonly checksum: number;
}

/** Why bytes are not a frame. */
export const FRAME_ERROR_REASONS = {
  /** The bytes do not start with `AA AA AA 96 69` (or are a bare payload without the header). */
  "bad-preamble": "bytes do not start with the preamble",
  /** The XOR checksum does not match. */
  "bad-checksum": "checksum does not match",
  /** Fewer bytes than the length field announces. */
  "truncated": "frame is shorter than its length field says",
  /** The length field exceeds the maximum frame size. */
  "oversize": "length field exceeds the maximum",
  /** The length field is below the smallest possible frame. */
  "bad-length": "length field is below the minimum",
} as const;

/** Union of the keys of {@linkcode FRAME_ERROR_REASONS}. */
export type FrameErrorReason = keyof typeof FRAME_ERROR_REASONS;

/** Result of {@linkcode decodeFrame}. */
export type DecodeFrameResult =
  | { readonly ok: true; readonly frame: Frame }
  | { readonly ok: false; readonly reason: FrameErrorReason; readonly message: string };

/**
 * What the bytes at one position hold, as seen by {@linkcode inspectFrame}.
 * `incomplete` means "a preamble prefix or a frame that needs more bytes".
 */
export type FrameCheck =
  | { readonly kind: "incomplete" }
  | { readonly kind: "bad-preamble" }
  | { readonly kind: "oversize"; readonly len: number }
  | { readonly kind: "bad-length"; readonly len: number }
  | { readonly kind: "bad-checksum"; readonly len: number; readonly computed: number; readonly received: number }
  | { readonly kind: "ok"; readonly len: number };

const INCOMPLETE: FrameCheck = Object.freeze({ kind: "incomplete" });
const BAD_PREAMBLE: FrameCheck = Object.freeze({ kind: "bad-preamble" });
const EMPTY = new Uint8Array(0);
// Positions of the command and status bytes inside the payload (spec §2).
const CMD_INDEX = CMD_OFFSET - PAYLOAD_OFFSET;
const PARA_INDEX = PARA_OFFSET - PAYLOAD_OFFSET;
const SW1_INDEX = SW1_OFFSET - PAYLOAD_OFFSET;
const SW2_INDEX = SW2_OFFSET - PAYLOAD_OFFSET;
const SW3_INDEX = SW3_OFFSET - PAYLOAD_OFFSET;

/**
 * Looks at the frame that may start at `bytes[start]`, using only
 * `bytes[start..end)`. The building block of {@linkcode decodeFrame} and the
 * `Deframer`; it allocates nothing for the common garbage cases.
 *
 * @param bytes buffer holding the candidate.
 * @param start index where the preamble should start.
 * @param end index one past the last available byte.
 */
export function inspectFrame(bytes: Uint8Array, start: number, end: number): FrameCheck {
  const available = end - start;
  const preambleAvailable = Math.min(available, PREAMBLE_BYTES);
  for (let k = 0; k < preambleAvailable; k++) {
    if (bytes[start + k] !== PREAMBLE[k]) return BAD_PREAMBLE;
  }
  if (available < HEADER_BYTES) return INCOMPLETE;
  const len = ((bytes[start + LEN_HI_OFFSET] ?? 0) << BYTE_BITS) | (bytes[start + LEN_LO_OFFSET] ?? 0);
  if (len > MAX_LEN) return { kind: "oversize", len };
  if (len < MIN_LEN) return { kind: "bad-length", len };
  const total = HEADER_BYTES + len;
  if (available < total) return INCOMPLETE;
  const checksumIndex = start + total - CHECKSUM_BYTES;
  const computed = xorChecksum(bytes, start + LEN_HI_OFFSET, checksumIndex);
  const received = bytes[checksumIndex] ?? 0;
  if (computed !== received) return { kind: "bad-checksum", len, computed, received };
  return { kind: "ok", len };
}

/**
 * Builds the {@linkcode Frame} view of bytes that {@linkcode inspectFrame}
 * found valid. The frame shares memory with `bytes`.
 *
 * @param bytes exactly one whole valid frame.
 */
export function frameOf(bytes: Uint8Array): Frame {
  const len = bytes.length - HEADER_BYTES;
  return {
    bytes,
    len,
    payload: bytes.subarray(PAYLOAD_OFFSET, bytes.length - CHECKSUM_BYTES),
    checksum: bytes[bytes.length - CHECKSUM_BYTES] ?? 0,
  };
}

/**
 * Decodes the frame at the start of `bytes`. Never throws.
 *
 * Bytes after the frame are ignored: compare `frame.bytes.length` with
 * `bytes.length` to detect them. The returned frame shares memory with
 * `bytes`.
 *
 * @example
 * ```ts
 * const result = decodeFrame(bytes);
 * if (!result.ok) log.warn(() => `bad frame: ${result.reason}`);
 * ```
 */
export function decodeFrame(bytes: Uint8Array): DecodeFrameResult {
  const check = inspectFrame(bytes, 0, bytes.length);
  switch (check.kind) {
    case "ok":
      return { ok: true, frame: frameOf(bytes.subarray(0, HEADER_BYTES + check.len)) };
    case "bad-preamble":
      // The offending bytes are not quoted: a bare payload starts with card text.
      return fail("bad-preamble", `Frame does not start with the preamble "AA AA AA 96 69": ${bytes.length} bytes without it`);
    case "incomplete":
      return bytes.length < HEADER_BYTES
        ? fail("truncated", `Frame is truncated: ${bytes.length} bytes, the header alone needs ${HEADER_BYTES}`)
        : fail("truncated", `Frame is truncated: length field announces ${HEADER_BYTES + lenAt(bytes)} bytes, got ${bytes.length}`);
    case "oversize":
      return fail("oversize", `Frame length field "${check.len}" exceeds the maximum: at most ${MAX_LEN}`);
    case "bad-length":
      return fail("bad-length", `Frame length field "${check.len}" is below the minimum: at least ${MIN_LEN}`);
    case "bad-checksum":
      return fail("bad-checksum", `Frame checksum mismatch: computed "${hexByte(check.computed)}", frame carries "${hexByte(check.received)}"`);
  }
}

function fail(reason: FrameErrorReason, message: string): DecodeFrameResult {
  return { ok: false, reason, message };
}

function lenAt(bytes: Uint8Array): number {
  return ((bytes[LEN_HI_OFFSET] ?? 0) << BYTE_BITS) | (bytes[LEN_LO_OFFSET] ?? 0);
}

/**
 * Wraps a payload into a frame: preamble, LEN, payload, XOR checksum.
 *
 * @throws {RangeError} when the frame would exceed {@linkcode MAX_FRAME_BYTES}.
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const len = payload.length + CHECKSUM_BYTES;
  if (HEADER_BYTES + len > MAX_FRAME_BYTES) {
    throw new RangeError(`Cannot encode a frame of "${HEADER_BYTES + len}" bytes: the maximum is ${MAX_FRAME_BYTES}`);
  }
  const out = new Uint8Array(HEADER_BYTES + len);
  out.set(PREAMBLE, 0);
  out[LEN_HI_OFFSET] = len >> BYTE_BITS;
  out[LEN_LO_OFFSET] = len & BYTE_MAX;
  out.set(payload, PAYLOAD_OFFSET);
  out[out.length - CHECKSUM_BYTES] = xorChecksum(out, LEN_HI_OFFSET, out.length - CHECKSUM_BYTES);
  return out;
}

/**
 * Encodes a request frame `CMD PARA [DATA]`.
 *
 * @throws {RangeError} when `cmd` or `para` is not a byte, or the frame is too long.
 * @example
 * ```ts
 * encodeRequest(0x20, 0x01); // AA AA AA 96 69 00 03 20 01 22
 * ```
 */
export function encodeRequest(cmd: number, para: number, data: Uint8Array = EMPTY): Uint8Array {
  assertByte(cmd, "cmd");
  assertByte(para, "para");
  const payload = new Uint8Array(REQUEST_HEADER_BYTES + data.length);
  payload[CMD_INDEX] = cmd;
  payload[PARA_INDEX] = para;
  payload.set(data, REQUEST_HEADER_BYTES);
  return encodeFrame(payload);
}

/**
 * Encodes a request for one of the `COMMANDS` of `constants.ts`.
 *
 * @throws {RangeError} as {@linkcode encodeRequest}.
 */
export function encodeCommand(command: CommandCode, data: Uint8Array = EMPTY): Uint8Array {
  return encodeRequest(command.cmd, command.para, data);
}

/**
 * Encodes a response frame `SW1 SW2 SW3 [DATA]`, as a SAM sends it. Used by
 * the simulator and by tests.
 *
 * @throws {RangeError} when a status word is not a byte, or the frame is too long.
 * @example
 * ```ts
 * encodeResponse(0x00, 0x00, 0x90); // AA AA AA 96 69 00 04 00 00 90 94
 * ```
 */
export function encodeResponse(sw1: number, sw2: number, sw3: number, data: Uint8Array = EMPTY): Uint8Array {
  assertByte(sw1, "sw1");
  assertByte(sw2, "sw2");
  assertByte(sw3, "sw3");
  const payload = new Uint8Array(RESPONSE_HEADER_BYTES + data.length);
  payload[SW1_INDEX] = sw1;
  payload[SW2_INDEX] = sw2;
  payload[SW3_INDEX] = sw3;
  payload.set(data, RESPONSE_HEADER_BYTES);
  return encodeFrame(payload);
}

function assertByte(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > BYTE_MAX) {
    throw new RangeError(`Invalid ${name} "${value}": expected an integer from 0 to ${BYTE_MAX}`);
  }
}

/** A frame read as a request. */
export interface RequestView {
  readonly cmd: number;
  readonly para: number;
  readonly data: Uint8Array;
}

/** A frame read as a response. */
export interface ResponseView {
  readonly sw1: number;
  readonly sw2: number;
  /** The SAM status, see `describeStatus` in `status.ts` (spec §4). */
  readonly sw3: number;
  readonly data: Uint8Array;
}

/** Result of {@linkcode readResponse}. */
export type ReadResponseResult =
  | { readonly ok: true; readonly response: ResponseView }
  | { readonly ok: false; readonly reason: "bad-length"; readonly message: string };

/**
 * Reads a decoded frame as a request. Every decoded frame has at least CMD
 * and PARA, because LEN below 3 is rejected.
 */
export function readRequest(frame: Frame): RequestView {
  return {
    cmd: frame.payload[CMD_INDEX] ?? 0,
    para: frame.payload[PARA_INDEX] ?? 0,
    data: frame.payload.subarray(REQUEST_HEADER_BYTES),
  };
}

/**
 * Reads a decoded frame as a response; a frame with LEN 3 is too short to
 * hold SW1 SW2 SW3 and gives `bad-length` (spec §2: reject LEN < 4 for responses).
 */
export function readResponse(frame: Frame): ReadResponseResult {
  if (frame.payload.length < RESPONSE_HEADER_BYTES) {
    return { ok: false, reason: "bad-length", message: `Response length field "${frame.len}" is below the minimum: at least ${MIN_RESPONSE_LEN}` };
  }
  return {
    ok: true,
    response: {
      sw1: frame.payload[SW1_INDEX] ?? 0,
      sw2: frame.payload[SW2_INDEX] ?? 0,
      sw3: frame.payload[SW3_INDEX] ?? 0,
      data: frame.payload.subarray(RESPONSE_HEADER_BYTES),
    },
  };
}
