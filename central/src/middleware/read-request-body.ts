import { KioskError, readCappedStream } from "@kiosk/contracts";

/**
 * Reads a request body of at most `maxBytes`, refusing early on a larger
 * `Content-Length` and stopping the read as soon as the limit is passed (a
 * chunked body has no length to trust).
 *
 * @throws {KioskError} `payload-too-large` past the limit.
 */
export async function readRequestBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new KioskError("payload-too-large", `Request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  if (!request.body) return new Uint8Array(0);
  return readCappedStream(request.body, maxBytes, () => new KioskError("payload-too-large", `Request body exceeds the limit of ${maxBytes} bytes`));
}
