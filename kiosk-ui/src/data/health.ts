/**
 * The edge server's health, as the UI reads it. No DOM here.
 */
import { edgeHealthSchema, type EdgeHealth } from "@kiosk/contracts";
import { requestJson } from "./request-json.ts";

/**
 * How long one health read may take. With the poll interval of the shell this
 * bounds how long a hung service goes unnoticed (interval + timeout).
 */
export const HEALTH_TIMEOUT_MS = 4_000;

/**
 * Reads `GET /api/health`. The report comes back with 200 or, when the kiosk
 * is out of service, 503; both carry the same body.
 *
 * @throws {KioskError} `edge-unreachable` or `edge-bad-response` (see {@linkcode requestJson}).
 */
export function fetchHealth(signal?: AbortSignal): Promise<EdgeHealth> {
  return requestJson("/api/health", (body) => edgeHealthSchema.parse(body), { ...(signal ? { signal } : {}), timeoutMs: HEALTH_TIMEOUT_MS, acceptStatus: [503] });
}
