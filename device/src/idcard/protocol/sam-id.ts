/**
 * The reply to `12 FF`: the 16-byte SAM ID, little-endian u16 u16 u32 u32 u32
 * (spec §5.4).
 */
import { SAM_ID_BYTES } from "./constants.ts";
import type { ResponseView } from "./frame.ts";
import { toHex } from "./hex.ts";
import { describeStatus, SW3_OK, type SamStatus } from "./status.ts";

/** A SAM ID. */
export interface SamId {
  /** The 16 bytes as received (a copy). Store these: the text format is not standardised. */
  readonly bytes: Uint8Array;
  /** The bytes as upper-case hex. */
  readonly hex: string;
  /** The five little-endian fields: u16, u16, u32, u32, u32. */
  readonly fields: readonly [number, number, number, number, number];
  /**
   * Display form `%02d.%02d-%d-%010d-%d` of the Android Sdtapi `SamIDIntTostr`
   * (spec §5.4), e.g. `05.01-20120411-0002012345-1234567890`.
   */
  readonly text: string;
}

/** Result of {@linkcode parseSamId}. */
export type SamIdResult =
  | { readonly ok: true; readonly samId: SamId }
  | { readonly ok: false; readonly reason: "status-error"; readonly status: SamStatus; readonly message: string }
  | { readonly ok: false; readonly reason: "bad-sam-id-length"; readonly message: string };

// Field layout inside the 16 bytes (spec §5.4).
const U16_A_OFFSET = 0;
const U16_B_OFFSET = 2;
const U32_A_OFFSET = 4;
const U32_B_OFFSET = 8;
const U32_C_OFFSET = 12;
// Zero-padding widths of the chosen display format.
const SHORT_FIELD_DIGITS = 2;
const SERIAL_DIGITS = 10;

/** Reads a `12 FF` reply. */
export function parseSamId(response: ResponseView): SamIdResult {
  if (response.sw3 !== SW3_OK) {
    const status = describeStatus(response.sw3);
    return { ok: false, reason: "status-error", status, message: `SAM-ID read failed with status "${status.name}": ${status.meaning}` };
  }
  if (response.data.length !== SAM_ID_BYTES) {
    return { ok: false, reason: "bad-sam-id-length", message: `SAM ID has "${response.data.length}" bytes: expected ${SAM_ID_BYTES}` };
  }
  const bytes = response.data.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields = [
    view.getUint16(U16_A_OFFSET, true),
    view.getUint16(U16_B_OFFSET, true),
    view.getUint32(U32_A_OFFSET, true),
    view.getUint32(U32_B_OFFSET, true),
    view.getUint32(U32_C_OFFSET, true),
  ] as const;
  const [a, b, c, d, e] = fields;
  const text = `${pad(a, SHORT_FIELD_DIGITS)}.${pad(b, SHORT_FIELD_DIGITS)}-${c}-${pad(d, SERIAL_DIGITS)}-${e}`;
  return { ok: true, samId: { bytes, hex: toHex(bytes), fields, text } };
}

function pad(value: number, digits: number): string {
  return String(value).padStart(digits, "0");
}
