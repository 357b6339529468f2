/**
 * The demo page's requests to the edge server's `/demo/` routes
 * (`demo-api.ts` in @kiosk/contracts). No DOM here.
 */
import { demoCardListSchema, type DemoCameraShow, type DemoCard } from "@kiosk/contracts";
import { requestJson } from "../data/request-json.ts";

/** How long one demo request may take: placing a card or replugging the reader answers within milliseconds. */
export const DEMO_REQUEST_TIMEOUT_MS = 5_000;

/** Reads the simulated cards. */
export function fetchDemoCards(): Promise<DemoCard[]> {
  return requestJson("/demo/cards", (body) => demoCardListSchema.parse(body), { timeoutMs: DEMO_REQUEST_TIMEOUT_MS });
}

/**
 * Sends one demo command; resolves when the edge server answered 204.
 *
 * @throws {Error} with the problem's detail when it refused, or a network failure.
 */
async function command(method: "POST" | "DELETE", path: string, body?: unknown): Promise<void> {
  const response = await fetch(path, {
    method,
    signal: AbortSignal.timeout(DEMO_REQUEST_TIMEOUT_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });
  if (response.ok) return;
  const problem = (await response.json().catch(() => ({}))) as { detail?: unknown };
  throw new Error(typeof problem.detail === "string" ? problem.detail : `The edge server answered ${method} "${path}" with status ${response.status}`);
}

/** Places card `id` on the simulated reader. */
export function placeCard(id: string): Promise<void> {
  return command("POST", "/demo/card", { id });
}

/** Takes the card off the simulated reader. */
export function removeCard(): Promise<void> {
  return command("DELETE", "/demo/card");
}

/** Chooses who stands in front of the demo camera. */
export function showOnCamera(show: DemoCameraShow): Promise<void> {
  return command("POST", "/demo/camera", { show });
}

/** Plugs the simulated reader in or pulls it out. */
export function setReaderConnected(connected: boolean): Promise<void> {
  return command("POST", "/demo/reader", { connected });
}
