/**
 * The mapping from errors to RFC 9457 problem details. Both HTTP services
 * call {@linkcode toProblem} from their `onError` handler, so this is the one
 * place where errors become HTTP responses.
 */
import { z } from "zod";
import { ERROR_CODES, KioskError, type ErrorCode } from "./errors.ts";

/** Media type of problem responses. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Wire shape of a problem response body. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** A problem response body. */
export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<ErrorCode, string> = {
  "config-invalid": "Invalid configuration",
  "bad-request": "Bad request",
  "unauthorized": "Unauthorized",
  "payload-too-large": "Payload too large",
  "unsupported-media-type": "Unsupported media type",
  "not-found": "Not found",
  "overloaded": "Overloaded",
  "shutting-down": "Shutting down",
  "central-unreachable": "Central unreachable",
  "central-rejected": "Central rejected the request",
  "edge-unreachable": "Kiosk service not answering",
  "edge-bad-response": "Unexpected reply from the kiosk service",
  "device-unavailable": "Device unavailable",
  "store-failed": "Storage failure",
  "missing-dependency": "Missing dependency",
  "photo-undecodable": "Card photo cannot be decoded",
  "internal": "Internal error",
  "store-full": "Storage full",
  "request-expired": "Request expired",
  "request-replayed": "Request replayed",
  "central-untrusted": "Central not trusted",
  "face-engine-timeout": "Face engine timed out",
  "face-engine-crashed": "Face engine worker crashed",
  "face-engine-aborted": "Face engine call aborted",
  "session-rejected": "Not possible at this step of the session",
};

/**
 * Turns any thrown value into a problem body. Unknown errors become
 * `internal` with a generic detail, so no stack trace or internal message
 * ever reaches a client.
 */
export function toProblem(error: unknown): Problem {
  const known = error instanceof KioskError ? error : undefined;
  const code: ErrorCode = known?.code ?? "internal";
  const problem: Problem = {
    type: `urn:shiming-kiosk:error:${code}`,
    title: TITLES[code],
    status: ERROR_CODES[code].status,
    detail: known?.message ?? "An unexpected error occurred; it has been logged",
    code,
    retryable: known?.retryable ?? false,
  };
  if (known && Object.keys(known.details).length > 0) problem.details = { ...known.details };
  return problem;
}

/** A web-standard `Response` carrying the problem body for `error`. */
export function problemResponse(error: unknown): Response {
  const problem = toProblem(error);
  return new Response(JSON.stringify(problem), { status: problem.status, headers: { "Content-Type": PROBLEM_CONTENT_TYPE } });
}
