/**
 * The edge server's health, as the UI reads it. No DOM here.
 */
import { edgeHealthSchema, type EdgeHealth } from "@kiosk/contracts";

/**
 * Reads `GET /api/health`. The report comes back with 200 or, when the kiosk
 * is out of service, 503; both carry the same body.
 *
 * @throws {Error} when the server does not answer or the body is not a health report.
 */
export async function fetchHealth(signal?: AbortSignal): Promise<EdgeHealth> {
  const response = await fetch("/api/health", { signal: signal ?? null, cache: "no-store" });
  return edgeHealthSchema.parse(await response.json());
}
