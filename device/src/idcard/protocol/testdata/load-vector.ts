/**
 * Test-only loader of the golden vectors in this folder (hex text, see
 * README.md). It reads files through Bun's global `Bun.file`, so the protocol
 * folder still imports nothing from `node:*` or `bun:*`.
 */
import { parseHex } from "../hex.ts";
import { decodeFrame, readResponse, type ResponseView } from "../frame.ts";

/** Every vector file in this folder, by group. */
export const VECTOR_FILES = {
  requests: [
    "req_sam_reset_10FF.hex",
    "req_sam_status_11FF.hex",
    "req_read_samid_12FF.hex",
    "req_find_card_2001.hex",
    "req_select_card_2002.hex",
    "req_read_base_3001.hex",
    "req_read_newaddr_3003.hex",
    "req_read_base_fp_3010.hex",
    "req_set_max_rf_byte_61FF_50.hex",
    "req_set_baud_115200_6000.hex",
    "req_set_baud_9600_6004.hex",
  ],
  responses: [
    "resp_ok_90.hex",
    "resp_sam_selftest_fail_60.hex",
    "resp_find_ok_9F.hex",
    "resp_find_fail_80.hex",
    "resp_select_ok_90.hex",
    "resp_select_fail_81.hex",
    "resp_read_fail_41.hex",
    "resp_sam_auth_card_fail_32.hex",
    "resp_no_content_91.hex",
  ],
  /** First bytes of longer replies: not whole frames. */
  headerPrefixes: [
    "resp_readbase_header_prefix.hex",
    "resp_readbase_fp0_header_prefix.hex",
    "resp_readbase_fp1024_header_prefix.hex",
    "resp_samid_header_prefix.hex",
  ],
  /** Whole replies for invented people. */
  synthetic: [
    "syn_cn_readbase_1295.hex",
    "syn_cn_readbase_fp0_1297.hex",
    "syn_cn_readbase_fp1024_2321.hex",
    "syn_gat_J_readbase_1295.hex",
    "syn_foreign2017_I_readbase_1295.hex",
    "syn_foreign2023_Y_readbase_1295.hex",
    "syn_newaddr_3003_resp.hex",
    "syn_samid_resp.hex",
  ],
  /** The resident-card reply as 21 zero-padded 64-byte HID reports. */
  hidReports: ["syn_cn_readbase_as_21_hid_reports_64B.hex"],
} as const;

/** Name of a vector file. */
export type VectorFile = (typeof VECTOR_FILES)[keyof typeof VECTOR_FILES][number];

/**
 * Loads one vector as bytes.
 *
 * @throws {SyntaxError} when the file is not hex text.
 */
export async function loadVector(name: VectorFile): Promise<Uint8Array> {
  const text = await Bun.file(new URL(name, import.meta.url)).text();
  const bytes = parseHex(text);
  if (!bytes) throw new SyntaxError(`Vector "${name}" is not hex text`);
  return bytes;
}

/** Loads every vector of a group, keyed by file name. */
export async function loadVectors<const T extends readonly VectorFile[]>(names: T): Promise<Map<T[number], Uint8Array>> {
  const entries = await Promise.all(names.map(async (name) => [name, await loadVector(name)] as const));
  return new Map(entries);
}

/**
 * Loads a vector holding one whole reply frame and reads it as a response.
 *
 * @throws {Error} when the vector is not a valid response frame.
 */
export async function loadResponse(name: VectorFile): Promise<ResponseView> {
  const decoded = decodeFrame(await loadVector(name));
  if (!decoded.ok) throw new Error(decoded.message);
  const read = readResponse(decoded.frame);
  if (!read.ok) throw new Error(read.message);
  return read.response;
}
