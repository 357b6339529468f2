import {
  isKioskError,
  type Clock,
  type DevicesStatus,
  type Heartbeat,
  type KioskStatus,
  type Logger,
  type Service,
  type TimerId,
} from "@kiosk/contracts";
import type { CentralClient } from "../ports.ts";

/** What the sender knows about its link to central. */
export interface HeartbeatState {
  /** Central's clock when it last stored one of our heartbeats. */
  readonly lastHeartbeatAt: string | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: string } | null;
  readonly consecutiveFailures: number;
}

/** Dependencies of {@linkcode HeartbeatSender}. */
export interface HeartbeatSenderDeps {
  readonly kioskId: string;
  readonly version: string;
  /** Random id of this run of the edge server. */
  readonly bootId: string;
  readonly intervalMs: number;
  readonly startedAtMs: number;
  readonly clock: Clock;
  readonly central: CentralClient;
  /** The kiosk's current status and devices, read at each beat. */
  readonly status: () => { status: KioskStatus; devices: DevicesStatus };
  readonly log: Logger;
  /** Called when central answers again after failures (the network is back): other senders can try at once. */
  readonly onCentralReachable?: () => void;
}

/**
 * Sends a heartbeat to central at start and then every `intervalMs`. A
 * failure is recorded and logged once (not on every beat) and the next beat
 * tries again; heartbeats are not queued, because only the latest matters.
 */
export class HeartbeatSender implements Service {
  readonly name = "heartbeat";
  readonly #deps: HeartbeatSenderDeps;
  #seq = 0;
  #timer: TimerId | undefined;
  #inFlight: AbortController | undefined;
  #running = false;
  #state: HeartbeatState = { lastHeartbeatAt: null, lastError: null, consecutiveFailures: 0 };

  constructor(deps: HeartbeatSenderDeps) {
    this.#deps = deps;
  }

  /** The link's current state, for the health report. */
  get state(): HeartbeatState {
    return this.#state;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#inFlight?.abort(new Error("heartbeat sender stopped"));
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = this.#deps.clock.setTimeout(() => void this.#beat(), delayMs);
  }

  async #beat(): Promise<void> {
    const { clock, central, log } = this.#deps;
    const now = clock.now();
    const { status, devices } = this.#deps.status();
    const heartbeat: Heartbeat = {
      kioskId: this.#deps.kioskId,
      bootId: this.#deps.bootId,
      seq: ++this.#seq,
      sentAt: new Date(now).toISOString(),
      version: this.#deps.version,
      uptimeS: Math.max(0, Math.round((now - this.#deps.startedAtMs) / 1000)),
      status,
      devices,
    };
    const controller = new AbortController();
    this.#inFlight = controller;
    try {
      const ack = await central.sendHeartbeat(heartbeat, controller.signal);
      if (this.#state.consecutiveFailures > 0) {
        log.info("central reachable again", { failures: this.#state.consecutiveFailures });
        this.#deps.onCentralReachable?.();
      }
      this.#state = { lastHeartbeatAt: ack.receivedAt, lastError: null, consecutiveFailures: 0 };
      log.debug(() => `heartbeat ${heartbeat.seq} stored by central`);
    } catch (error) {
      if (!this.#running) return;
      const code = isKioskError(error) ? error.code : "internal";
      const message = error instanceof Error ? error.message : String(error);
      if (this.#state.consecutiveFailures === 0 || this.#state.lastError?.code !== code) {
        log.warn("cannot deliver heartbeat to central", { code, error });
      }
      this.#state = {
        lastHeartbeatAt: this.#state.lastHeartbeatAt,
        lastError: { code, message, at: new Date(clock.now()).toISOString() },
        consecutiveFailures: this.#state.consecutiveFailures + 1,
      };
    } finally {
      if (this.#inFlight === controller) this.#inFlight = undefined;
    }
    this.#schedule(this.#deps.intervalMs);
  }
}
