/**
 * The reply to `30 03`, the newest appended address (追加住址): 70 bytes of
 * UCS-2LE, space padded, or SW3 91 when the card has none (spec §5.3).
 */
import { APPENDED_ADDRESS_BYTES } from "./constants.ts";
import type { ResponseView } from "./frame.ts";
import { describeStatus, SW3_NO_CONTENT, SW3_OK, type SamStatus } from "./status.ts";
import { readTextField } from "./text-field.ts";

/** Result of {@linkcode parseAppendedAddress}. */
export type AppendedAddressResult =
  | { readonly ok: true; readonly present: true; readonly address: string }
  | { readonly ok: true; readonly present: false }
  | { readonly ok: false; readonly reason: "status-error"; readonly status: SamStatus; readonly message: string }
  | { readonly ok: false; readonly reason: "bad-address-length"; readonly message: string };

/**
 * Reads a `30 03` reply.
 *
 * @returns the trimmed address; `present: false` for SW3 91 (no appended
 *   address); `status-error` for any other non-90 status.
 */
export function parseAppendedAddress(response: ResponseView): AppendedAddressResult {
  if (response.sw3 === SW3_NO_CONTENT) return { ok: true, present: false };
  if (response.sw3 !== SW3_OK) {
    const status = describeStatus(response.sw3);
    return { ok: false, reason: "status-error", status, message: `Appended-address read failed with status "${status.name}": ${status.meaning}` };
  }
  if (response.data.length !== APPENDED_ADDRESS_BYTES) {
    return { ok: false, reason: "bad-address-length", message: `Appended address has "${response.data.length}" bytes: expected ${APPENDED_ADDRESS_BYTES}` };
  }
  return { ok: true, present: true, address: readTextField(response.data, { offset: 0, bytes: APPENDED_ADDRESS_BYTES }) };
}
