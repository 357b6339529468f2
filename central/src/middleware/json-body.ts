import { KioskError } from "@kiosk/contracts";
import type { Context } from "hono";
import type { z } from "zod";
import { readRequestBody } from "./read-request-body.ts";

/**
 * Reads a JSON request body of at most `maxBytes` and validates it with
 * `schema`.
 *
 * @throws {KioskError} `unsupported-media-type` for a non-JSON content type,
 *   `payload-too-large` past the limit, `bad-request` for malformed JSON or a
 *   body that does not match the schema (naming the first offending field).
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new KioskError("unsupported-media-type", `Expected "application/json", got "${type || "(none)"}"`);
  }
  const bytes = await readRequestBody(c.req.raw, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new KioskError("bad-request", `Request body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
    throw new KioskError("bad-request", `Invalid request body at "${where}": ${issue?.message ?? "does not match the schema"}`, {
      details: { issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message })) },
    });
  }
  return parsed.data;
}
