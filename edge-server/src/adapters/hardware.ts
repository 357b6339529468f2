/**
 * Builds the kiosk's hardware services from the `devices` settings: the
 * ID-card reader session over serial or USB HID, and the camera (V4L2
 * through ffmpeg, or a replay).
 */
import { KioskError, type Clock, type DevicesStatus, type Logger } from "@kiosk/contracts";
import { ChipPhotoDecoder, hidReaderTransport, IdCardReader, serialReaderTransport, type Camera } from "@kiosk/device";
import { FfmpegCamera, ImagePhotoDecoder, ReplayCamera, WltFfiDecoder } from "@kiosk/device/adapters";
import { existsSync, statSync } from "node:fs";
import type { DevicesConfig } from "../devices-config.ts";
import type { DeviceStatusSource } from "../ports.ts";

/** The reader session for the configured transport; starts nothing. */
export function createReader(config: DevicesConfig, deps: { clock: Clock; log: Logger }): IdCardReader {
  const { reader } = config;
  if (reader.transport === "hid" && !reader.hidId) {
    throw new KioskError("config-invalid", 'devices.reader.hidId (env KIOSK_EDGE_DEVICES_READER_HID_ID) is required when devices.reader.transport is "hid"');
  }
  const transportFactory =
    reader.transport === "hid"
      ? hidReaderTransport({ vidPid: reader.hidId ?? "", log: deps.log })
      : serialReaderTransport({ path: reader.serialPath, baudRate: reader.baudRate, log: deps.log });
  return new IdCardReader({
    transportFactory,
    clock: deps.clock,
    log: deps.log,
    kind: reader.transport,
    pollIntervalMs: reader.pollIntervalMs,
    rereadBehaviour: reader.rereadBehaviour,
    deviceLostAfterMs: reader.deviceLostAfterMs,
  });
}

/** The camera for the configured source; starts nothing. */
export function createCamera(config: DevicesConfig, deps: { clock: Clock; log: Logger }): Camera {
  const { camera } = config;
  if (camera.source === "replay") {
    const path = camera.replayPath;
    if (!path || !existsSync(path)) {
      throw new KioskError("config-invalid", `devices.camera.replayPath (env KIOSK_EDGE_DEVICES_CAMERA_REPLAY_PATH) must name a folder of images or a video file, got "${path ?? ""}"`);
    }
    const source = statSync(path).isDirectory() ? { kind: "images" as const, dir: path } : { kind: "video" as const, path };
    return new ReplayCamera({ source, fps: camera.fps, loop: true, size: { width: camera.width, height: camera.height }, clock: deps.clock, log: deps.log });
  }
  return new FfmpegCamera({
    input: { kind: "v4l2", device: camera.device },
    width: camera.width,
    height: camera.height,
    framerate: camera.fps,
    inputFormat: camera.inputFormat,
    clock: deps.clock,
    log: deps.log,
  });
}

/**
 * The chip photo decoder: JPEG and WebP photos of simulated cards, and WLT
 * photos of real cards through the vendor's library when
 * `devices.wltDecoder.libraryPath` names one.
 */
export function createChipPhotoDecoder(config: DevicesConfig): ChipPhotoDecoder {
  const { wltDecoder } = config;
  const image = new ImagePhotoDecoder();
  if (wltDecoder.libraryPath === undefined) return new ChipPhotoDecoder({ image });
  const wlt = new WltFfiDecoder({
    libraryPath: wltDecoder.libraryPath,
    symbol: wltDecoder.symbol,
    arg: wltDecoder.arg,
    channelOrder: wltDecoder.channelOrder,
    bottomUp: wltDecoder.bottomUp,
  });
  return new ChipPhotoDecoder({ image, wlt });
}

/** The device status the health report and heartbeats carry. */
export function hardwareStatus(reader: IdCardReader, camera: Camera): DeviceStatusSource {
  return { snapshot: (): DevicesStatus => ({ idcardReader: reader.status(), camera: camera.status() }) };
}
