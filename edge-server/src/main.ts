/**
 * Composition root of the edge server on Bun: builds the adapters, starts
 * the services, and stops them in reverse order.
 */
import { startAll, stopAll, systemClock, type Clock, type Logger, type Service } from "@kiosk/contracts";
import { AssetDir } from "./adapters/asset-dir.ts";
import { BunHttpServer } from "@kiosk/runtime";
import { centralFetch } from "./adapters/central-tls.ts";
import { createFaceEngine } from "./adapters/face/create-face-engine.ts";
import { createDemo } from "./adapters/demo/create-demo.ts";
import { createCamera, createReader, hardwareStatus } from "./adapters/hardware.ts";
import { VoicePromptFiles } from "./adapters/voice-prompt-files.ts";
import { composeEdge } from "./compose.ts";
import type { EdgeConfig } from "./config.ts";
import { openKioskStorage } from "./store/open-kiosk-storage.ts";

/** A running edge server. */
export interface EdgeRuntime {
  /** Base URL of the kiosk UI and API. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the edge server; resolves once it listens and its first heartbeat is scheduled. */
export async function startEdge(config: EdgeConfig, options: { log: Logger; clock?: Clock }): Promise<EdgeRuntime> {
  const clock = options.clock ?? systemClock;
  const log = options.log;
  const storage = await openKioskStorage(config, { clock, log });
  const reader = createReader(config.devices, { clock, log: log.child("reader") });
  const demo = config.demo.enabled ? createDemo(config.demo, { clock, log: log.child("demo") }) : undefined;
  const camera = demo?.camera ?? createCamera(config.devices, { clock, log: log.child("camera") });
  const face = createFaceEngine(config.face, log.child("face"), { clock });
  const core = composeEdge(config, {
    clock,
    log,
    assets: new AssetDir(config.ui.dir),
    voice: new VoicePromptFiles({ recordingsDir: config.voice.recordingsDir }),
    devices: hardwareStatus(reader, camera),
    storage,
    centralFetch: centralFetch(config.central.caFile),
    face: () => face.health(),
    ...(demo ? { demo: demo.controls } : {}),
  });
  const server = new BunHttpServer({ host: config.http.host, port: config.http.port, fetch: core.app.fetch, log: log.child("http") });
  const services: Service[] = [...storage.services, reader, camera, face, server, core.heartbeat];
  await startAll(services, log);
  log.info("edge server started", { kioskId: config.kioskId, url: server.url, central: config.central.url });
  return {
    url: server.url,
    stop: async () => {
      await stopAll(services, log);
      log.info("edge server stopped");
    },
  };
}
