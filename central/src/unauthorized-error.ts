/**
 * The one failure the shared error codes lack: a request whose credentials
 * (kiosk signature, API token) are missing or wrong.
 *
 * `@kiosk/contracts` has no `unauthorized` code yet, so central answers 401
 * with a problem body whose `code` is `bad-request` (the nearest shared code,
 * so clients validating problems with `problemSchema` still can) and whose
 * `type` and `title` say "unauthorized". Once contracts gain the code, only
 * {@linkcode unauthorizedResponse} changes.
 */
import { PROBLEM_CONTENT_TYPE, type Problem } from "@kiosk/contracts";

/** Why a request was not authenticated. */
export class UnauthorizedError extends Error {
  override readonly name = "UnauthorizedError";
  /** True when the same request may succeed later (an unregistered key that a technician may register). */
  readonly retryable: boolean;
  /** Value of `WWW-Authenticate`, for bearer-token routes. */
  readonly challenge: string | undefined;

  constructor(message: string, options: { retryable?: boolean; challenge?: string } = {}) {
    super(message);
    this.retryable = options.retryable ?? false;
    this.challenge = options.challenge;
  }
}

/** The 401 problem response for `error`. */
export function unauthorizedResponse(error: UnauthorizedError): Response {
  const problem: Problem = {
    type: "urn:shiming-kiosk:error:unauthorized",
    title: "Unauthorized",
    status: 401,
    detail: error.message,
    code: "bad-request",
    retryable: error.retryable,
  };
  const headers: Record<string, string> = { "Content-Type": PROBLEM_CONTENT_TYPE };
  if (error.challenge) headers["WWW-Authenticate"] = error.challenge;
  return new Response(JSON.stringify(problem), { status: 401, headers });
}
