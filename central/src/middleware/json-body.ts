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
  requireJson(type);
  return parseJsonBody(type, await readRequestBody(c.req.raw, maxBytes), schema);
}

/**
 * Validates a JSON request body already read (as a signed route reads it, to
 * check its digest first) with `schema`.
 *
 * @throws {KioskError} as {@linkcode readJsonBody}, past the size limit aside.
 */
export function parseJsonBody<S extends z.ZodType>(contentType: string, bytes: Uint8Array, schema: S): z.output<S> {
  requireJson(contentType);
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

function requireJson(contentType: string): void {
  if (!/^application\/json\b/i.test(contentType)) {
    throw new KioskError("unsupported-media-type", `Expected "application/json", got "${contentType || "(none)"}"`);
  }
}
