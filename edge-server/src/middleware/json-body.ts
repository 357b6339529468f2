/**
 * Reading a JSON request body under a size limit, and validating it, with
 * typed errors that never quote the body (it may hold personal data).
 */
import { KioskError, readCappedStream } from "@kiosk/contracts";
import type { z } from "zod";

/**
 * The parsed JSON body of `request`.
 *
 * @throws {KioskError} `unsupported-media-type` unless the content type is
 *   `application/json`; `payload-too-large` above `maxBytes`; `bad-request`
 *   for an empty body or one that is not JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json") throw new KioskError("unsupported-media-type", `Expected "application/json", got "${type || "(none)"}"`);
  const tooLarge = () => new KioskError("payload-too-large", `Request body exceeds the limit of ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (request.body === null) throw new KioskError("bad-request", "Request body is empty: expected JSON");
  const bytes = await readCappedStream(request.body, maxBytes, tooLarge);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new KioskError("bad-request", `Request body of ${bytes.length} bytes is not valid JSON`);
  }
}

/**
 * `value` checked against `schema`.
 *
 * @throws {KioskError} `bad-request` naming each invalid field by its path
 *   and issue code (`details.issues`), never by its value.
 */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), code: i.code }));
  const where = issues.map((i) => `"${i.path || "(body)"}" (${i.code})`).join(", ");
  throw new KioskError("bad-request", `Invalid request body at ${where}`, { details: { issues } });
}
