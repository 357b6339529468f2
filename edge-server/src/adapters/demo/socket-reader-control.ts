/**
 * {@linkcode DemoReaderControl} over the simulated reader's control socket
 * (`./kiosk idcard simulate --control SOCKET`): HTTP on a unix socket,
 * through Bun's `fetch` `unix` option.
 */
import { demoCardListSchema, KioskError, problemSchema, type DemoCard } from "@kiosk/contracts";
import type { DemoReaderControl } from "../../demo-ports.ts";

// Time limit of one control request: the simulator answers at once, an unplug or replug takes a few ms.
const REQUEST_TIMEOUT_MS = 5000;

/** Talks to a reader simulator's control socket. */
export class SocketReaderControl implements DemoReaderControl {
  readonly #socket: string;

  constructor(socket: string) {
    this.#socket = socket;
  }

  async cards(): Promise<DemoCard[]> {
    const response = await this.#request("GET", "/cards");
    const parsed = demoCardListSchema.safeParse(await response.json());
    if (!parsed.success) throw new KioskError("device-unavailable", `The reader simulator at "${this.#socket}" sent a malformed card list`);
    return parsed.data;
  }

  async place(id: string): Promise<void> {
    await this.#request("PUT", "/card", { id });
  }

  async remove(): Promise<void> {
    await this.#request("DELETE", "/card");
  }

  async liftDuringNextRead(): Promise<void> {
    await this.#request("POST", "/card/lift-during-read");
  }

  async setConnected(connected: boolean): Promise<void> {
    await this.#request("PUT", "/reader", { connected });
  }

  async #request(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`http://simulator${path}`, {
        method,
        unix: this.#socket,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
      });
    } catch (cause) {
      throw new KioskError("device-unavailable", `Cannot reach the reader simulator's control socket "${this.#socket}"`, { cause });
    }
    if (response.ok) return response;
    const problem = problemSchema.safeParse(await response.json().catch(() => undefined));
    if (problem.success && (problem.data.code === "not-found" || problem.data.code === "bad-request")) throw new KioskError(problem.data.code, problem.data.detail);
    throw new KioskError("device-unavailable", `The reader simulator refused ${method} "${path}" with status ${response.status}`);
  }
}
