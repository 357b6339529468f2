import { KioskError, readCappedStream } from "@kiosk/contracts";

/**
 * Decompresses a gzip body with the web-standard `DecompressionStream`,
 * stopping as soon as the output exceeds `maxBytes` (a zip bomb costs at
 * most `maxBytes` of memory, never its full expansion).
 *
 * @throws {KioskError} `payload-too-large` past the cap, `bad-request` for
 *   data that is not valid gzip.
 */
export async function gunzipCapped(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const stream = new Blob([compressed.slice().buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return await readCappedStream(stream, maxBytes, () => new KioskError("payload-too-large", `Decompressed body exceeds the limit of ${maxBytes} bytes`));
  } catch (cause) {
    if (cause instanceof KioskError) throw cause;
    throw new KioskError("bad-request", `Body is not valid gzip: ${(cause as Error).message}`, { cause });
  }
}
