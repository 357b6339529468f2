import { DEVICE_STATES, KIOSK_STATUSES, type DevicesStatus, type KioskStatus } from "@kiosk/contracts";

/**
 * The kiosk's overall status. Applicants can be served only when both the
 * reader and the camera are ready. Losing central does not stop service
 * (results are stored and forwarded later) but is worth a technician's look.
 */
export function kioskStatus(devices: DevicesStatus, centralFailures: number): KioskStatus {
  const ready = devices.idcardReader.state === DEVICE_STATES.ready && devices.camera.state === DEVICE_STATES.ready;
  if (!ready) return KIOSK_STATUSES.outOfService;
  return centralFailures > 0 ? KIOSK_STATUSES.degraded : KIOSK_STATUSES.ok;
}
