/**
 * The interfaces the edge server's services need from the outside world.
 * Adapters implement them; tests pass fakes.
 */
import type { DevicesStatus, Heartbeat, HeartbeatAck, OutboxHealth, SyncDownHealth } from "@kiosk/contracts";

/** Reports the current status of the kiosk's devices. */
export interface DeviceStatusSource {
  snapshot(): DevicesStatus;
}

/** The requests the kiosk makes to central. */
export interface CentralClient {
  /** The base URL, for status reports. */
  readonly url: string;
  /**
   * Delivers one heartbeat.
   * @throws {KioskError} `central-unreachable` (retryable) or `central-rejected`.
   */
  sendHeartbeat(heartbeat: Heartbeat, signal?: AbortSignal): Promise<HeartbeatAck>;
}

/** A static file of the kiosk UI. */
export interface Asset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** Serves the built kiosk UI. */
export interface AssetSource {
  /** The asset at a URL path such as `/index.html`, or `undefined` when there is none. */
  get(path: string): Promise<Asset | undefined>;
}

/** A packed 8-bit RGB image: `data[(y·width + x)·3 + c]`, c = 0 red, 1 green, 2 blue. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** What the kiosk's local storage reports for the health endpoint. */
export interface StorageStatus {
  /** False when new results are refused (storage full): the kiosk must go out of service. */
  readonly acceptingResults: boolean;
  readonly outbox: OutboxHealth;
  readonly syncDown: SyncDownHealth;
}
