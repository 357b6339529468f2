/**
 * Composition root of the edge server on Bun: builds the adapters, starts
 * the services, and stops them in reverse order.
 */
import { startAll, stopAll, systemClock, type Clock, type DeviceState, type Logger, type Service } from "@kiosk/contracts";
import { JpegFrameDecoder } from "@kiosk/device/adapters";
import { AssetDir } from "./adapters/asset-dir.ts";
import { BunHttpServer } from "@kiosk/runtime";
import { createFaceEngine } from "./adapters/face/create-face-engine.ts";
import { CameraLiveFrames } from "./adapters/camera-frames.ts";
import { createDemo } from "./adapters/demo/create-demo.ts";
import { createCamera, createChipPhotoDecoder, createReader, hardwareStatus } from "./adapters/hardware.ts";
import { VoicePromptFiles } from "./adapters/voice-prompt-files.ts";
import { composeEdge } from "./compose.ts";
import { composeSession } from "./compose-session.ts";
import type { EdgeConfig } from "./config.ts";
import { DemoCameraDirector } from "./services/demo-camera-director.ts";
import { FaceCapture } from "./services/face-capture.ts";
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
  const { session, preview } = composeSession(config, {
    clock,
    log,
    reader,
    photos: createChipPhotoDecoder(config.devices),
    camera,
    capture: new FaceCapture({ engine: face, frames: new CameraLiveFrames(camera, new JpegFrameDecoder()), settings: config.face, clock, random: Math.random }),
    faceModel: face,
    syncDown: storage.syncDown,
    results: storage.store,
    health: {
      camera: () => isWorking(camera.status().state),
      faceEngine: () => face.health().workers > 0,
      storage: () => storage.status().acceptingResults,
    },
  });
  // In demo mode the replayed holder performs the challenge each face view asks for.
  const detachDirector = demo ? new DemoCameraDirector(demo.camera, log.child("demo"), clock).attach(session) : () => {};
  const core = composeEdge(config, {
    clock,
    log,
    assets: new AssetDir(config.ui.dir),
    voice: new VoicePromptFiles({ recordingsDir: config.voice.recordingsDir }),
    devices: hardwareStatus(reader, camera),
    storage,
    central: storage.requests,
    face: () => face.health(),
    session: { hub: session, preview },
    ...(demo ? { demo: demo.controls } : {}),
  });
  const server = new BunHttpServer({ host: config.http.host, port: config.http.port, fetch: core.app.fetch, log: log.child("http") });
  // The session subscribes to the reader before it starts, so no card event is missed.
  const services: Service[] = [...storage.services, session, preview, reader, camera, face, server, core.heartbeat];
  await startAll(services, log);
  log.info("edge server started", { kioskId: config.kioskId, url: server.url, central: config.central.url });
  return {
    url: server.url,
    stop: async () => {
      detachDirector();
      await stopAll(services, log);
      log.info("edge server stopped");
    },
  };
}

/** Whether a device in `state` can serve an applicant (`starting` counts: it comes up without anyone's help). */
function isWorking(state: DeviceState): boolean {
  return state !== "unavailable" && state !== "error";
}
