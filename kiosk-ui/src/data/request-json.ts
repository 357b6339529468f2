/**
 * Every request the UI makes to its kiosk service goes through here, with a
 * deadline: a service that accepts the connection but never answers must not
 * leave the applicant looking at a screen that will never move. No DOM here.
 */
import { KioskError } from "@kiosk/contracts";

/** Options of {@linkcode requestJson}. */
export interface RequestJsonOptions {
  /** Ends the request early (the screen that asked for it went away). */
  readonly signal?: AbortSignal;
  /** The whole request, body included, must finish within this many milliseconds. */
  readonly timeoutMs: number;
  /** Status codes whose body is still a valid reply (besides 2xx). */
  readonly acceptStatus?: readonly number[];
  /** Sent as JSON with a POST; without it the request is a GET. */
  readonly body?: unknown;
}

/**
 * Fetches `url` (posting `options.body` as JSON when given) and parses its JSON body with `parse`.
 *
 * @throws {KioskError} `edge-unreachable` when the service does not answer within the deadline or cannot be
 *   reached, `edge-bad-response` when it answers with an unexpected status or body; the caller's own abort
 *   is rethrown as it came.
 */
export async function requestJson<T>(url: string, parse: (body: unknown) => T, options: RequestJsonOptions): Promise<T> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let body: unknown;
  try {
    const send = options.body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(options.body) };
    const response = await fetch(url, { ...send, signal, cache: "no-store" });
    if (!response.ok && !options.acceptStatus?.includes(response.status)) {
      throw new KioskError("edge-bad-response", `The kiosk service answered "${url}" with status ${response.status}`);
    }
    body = await response.json();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof KioskError) throw error;
    if (deadline.aborted) {
      throw new KioskError("edge-unreachable", `The kiosk service did not answer "${url}" within ${options.timeoutMs} ms`, { cause: error, details: { reason: "timeout" } });
    }
    if (error instanceof SyntaxError) {
      throw new KioskError("edge-bad-response", `The kiosk service answered "${url}" with a body that is not JSON`, { cause: error });
    }
    throw new KioskError("edge-unreachable", `The kiosk service cannot be reached at "${url}"`, { cause: error, details: { reason: "network" } });
  }
  try {
    return parse(body);
  } catch (error) {
    throw new KioskError("edge-bad-response", `The kiosk service answered "${url}" with an unexpected body`, { cause: error });
  }
}
