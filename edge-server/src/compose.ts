/**
 * Wiring of the parts of the edge server that use only web-standard APIs.
 * Both runtime entry points (Bun in `main.ts`, Deno in
 * `adapters/deno-main.ts`) build on it.
 */
import { SOFTWARE_VERSION, type Clock, type FaceEngineHealth, type Logger } from "@kiosk/contracts";
import type { Hono } from "hono";
import { HttpCentralClient } from "./adapters/central-client-http.ts";
import { createApp } from "./app.ts";
import type { SignedUpstream } from "./outbox/signed-upstream.ts";
import type { EdgeConfig } from "./config.ts";
import type { AssetSource, DeviceStatusSource, StorageStatus, VoicePromptSource } from "./ports.ts";
import type { PreviewViewers } from "./routes/session.ts";
import type { DemoControls } from "./services/demo-controls.ts";
import type { SessionHub } from "./services/verification-session-service.ts";
import { HealthReporter } from "./services/health-reporter.ts";
import { HeartbeatSender } from "./services/heartbeat-sender.ts";

/** The runtime-specific parts the core needs. */
export interface EdgeAdapters {
  readonly clock: Clock;
  readonly log: Logger;
  readonly assets: AssetSource;
  readonly voice: VoicePromptSource;
  readonly devices: DeviceStatusSource;
  /** The kiosk's local storage (store-and-forward), where the runtime provides one. */
  readonly storage?: { status(): StorageStatus; nudge(): void };
  /** The face engine's health, where the runtime runs one. */
  readonly face?: () => FaceEngineHealth;
  /** The verification session and its camera preview (`/api/session/…`), where the runtime has the devices for one. */
  readonly session?: { readonly hub: SessionHub; readonly preview: PreviewViewers };
  /** Signs and sends requests to central (the kiosk's key, central's clock); heartbeats go through it. */
  readonly central: SignedUpstream;
  /** Demo mode's controls (`demo.enabled`), mounted at `/demo/`. */
  readonly demo?: DemoControls;
}

/** The edge server's core: its HTTP app and the services to start. */
export interface EdgeCore {
  readonly app: Hono;
  readonly heartbeat: HeartbeatSender;
  readonly health: HealthReporter;
}

/** Builds the edge server's core from its config and adapters; starts nothing. */
export function composeEdge(config: EdgeConfig, adapters: EdgeAdapters): EdgeCore {
  const { clock, log, storage, face } = adapters;
  const startedAtMs = clock.now();
  const central = new HttpCentralClient({ url: config.central.url, requests: adapters.central });
  let heartbeat: HeartbeatSender | undefined;
  const health = new HealthReporter({
    kioskId: config.kioskId,
    startedAtMs,
    clock,
    devices: adapters.devices,
    centralUrl: central.url,
    heartbeat: () => heartbeat?.state ?? { lastHeartbeatAt: null, lastError: null, consecutiveFailures: 0 },
    ...(storage ? { storage: () => storage.status() } : {}),
    ...(face ? { face } : {}),
  });
  heartbeat = new HeartbeatSender({
    kioskId: config.kioskId,
    version: SOFTWARE_VERSION,
    bootId: crypto.randomUUID(),
    intervalMs: config.central.heartbeatIntervalMs,
    startedAtMs,
    clock,
    central,
    status: () => health.status(),
    log: log.child("heartbeat"),
    ...(storage ? { onCentralReachable: () => storage.nudge() } : {}),
  });
  const app = createApp({
    health: () => health.report(),
    assets: adapters.assets,
    voice: adapters.voice,
    log: log.child("http"),
    ...(adapters.session ? { session: { hub: adapters.session.hub, preview: adapters.session.preview, clock } } : {}),
    ...(adapters.demo ? { demo: adapters.demo } : {}),
  });
  return { app, heartbeat, health };
}
