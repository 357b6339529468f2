/**
 * The status every device on the kiosk reports: the ID-card reader and the
 * camera. The edge server shows it on its health endpoint and sends it to
 * central in heartbeats.
 */
import { z } from "zod";

/** States of a device, from the kiosk's point of view. */
export const DEVICE_STATES = {
  /** Opening or probing the device. */
  starting: "starting",
  /** Working and idle or in use. */
  ready: "ready",
  /** Missing or disconnected; the kiosk keeps trying to reconnect. */
  unavailable: "unavailable",
  /** Present but failing (self-test failed, SAM error, no frames). */
  error: "error",
  /** Not started, or shut down. */
  stopped: "stopped",
} as const;

/** One of {@linkcode DEVICE_STATES}. */
export type DeviceState = (typeof DEVICE_STATES)[keyof typeof DEVICE_STATES];

export const deviceStatusSchema = z.object({
  /** Which adapter drives the device: `serial`, `hid`, `simulated`, `v4l2`, `replay`. */
  kind: z.string().min(1).max(32),
  state: z.enum(Object.values(DEVICE_STATES) as [DeviceState, ...DeviceState[]]),
  /** When the device entered this state (ISO 8601). */
  since: z.iso.datetime(),
  /** A non-personal detail such as the port or the model. */
  detail: z.string().max(200).optional(),
  /** The last error, when `state` is `unavailable` or `error`. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** The status of one device. */
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const devicesStatusSchema = z.object({
  idcardReader: deviceStatusSchema,
  camera: deviceStatusSchema,
});

/** The status of every device on a kiosk. */
export type DevicesStatus = z.infer<typeof devicesStatusSchema>;
