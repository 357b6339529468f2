import type { KioskError } from "./errors.ts";

/**
 * Reads `stream` to the end into one buffer, cancelling it as soon as more
 * than `maxBytes` arrived (so an oversized or endlessly expanding body costs
 * at most `maxBytes` of memory). Web streams only, for central's request
 * bodies and the kiosk's answers from central alike.
 *
 * @throws the error made by `tooLarge` past the limit; whatever the stream throws otherwise.
 */
export async function readCappedStream(stream: ReadableStream<Uint8Array>, maxBytes: number, tooLarge: () => KioskError): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
