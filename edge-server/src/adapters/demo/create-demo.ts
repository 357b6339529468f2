/**
 * Builds demo mode's parts from the `demo` settings: the demo camera (which
 * replaces the configured camera), the simulated reader's control socket, and
 * the controls the `/demo/` routes use. To have the replayed holder perform
 * the liveness challenge, attach a `DemoCameraDirector` over `camera` to the
 * session's views.
 */
import { KioskError, type Clock, type Logger } from "@kiosk/contracts";
import { DEMO_CAMERA_DIR } from "@kiosk/device";
import { DemoCamera } from "@kiosk/device/adapters";
import type { DemoConfig } from "../../demo-config.ts";
import { DemoControls } from "../../services/demo-controls.ts";
import { SocketReaderControl } from "./socket-reader-control.ts";

/** Demo mode's parts; starts nothing (the camera is a service to start). */
export interface Demo {
  readonly camera: DemoCamera;
  readonly controls: DemoControls;
}

/** @throws {KioskError} `config-invalid` when `demo.readerControl` is missing. */
export function createDemo(config: DemoConfig, deps: { readonly clock: Clock; readonly log: Logger }): Demo {
  if (config.readerControl === undefined) {
    throw new KioskError("config-invalid", "demo.readerControl (env KIOSK_EDGE_DEMO_READER_CONTROL) is required in demo mode: the socket of ./kiosk idcard simulate --control");
  }
  const camera = new DemoCamera({ dir: config.cameraDir ?? DEMO_CAMERA_DIR, clock: deps.clock, log: deps.log.child("camera") });
  return { camera, controls: new DemoControls({ reader: new SocketReaderControl(config.readerControl), camera }) };
}
