/**
 * A request whose credentials (kiosk signature, API token) are missing or
 * wrong: answered 401 with the `unauthorized` problem and, for bearer-token
 * routes, a `WWW-Authenticate` challenge.
 */
import { KioskError, PROBLEM_CONTENT_TYPE, toProblem } from "@kiosk/contracts";

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
  const problem = toProblem(new KioskError("unauthorized", error.message, { retryable: error.retryable }));
  const headers: Record<string, string> = { "Content-Type": PROBLEM_CONTENT_TYPE };
  if (error.challenge) headers["WWW-Authenticate"] = error.challenge;
  return new Response(JSON.stringify(problem), { status: 401, headers });
}
