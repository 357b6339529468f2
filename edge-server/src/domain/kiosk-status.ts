import { DEVICE_STATES, KIOSK_STATUSES, type DevicesStatus, type KioskStatus } from "@kiosk/contracts";

/** What the kiosk's overall status is decided from. */
export interface KioskStatusInputs {
  readonly devices: DevicesStatus;
  /** Heartbeats to central that failed in a row. */
  readonly centralFailures: number;
  /** False when local storage refuses new results (full disk): fail closed. */
  readonly acceptingResults: boolean;
}

/**
 * The kiosk's overall status. Applicants can be served only when both the
 * reader and the camera are ready and a result can be saved. Losing central
 * does not stop service (results are stored and forwarded later) but is worth
 * a technician's look.
 */
export function kioskStatus({ devices, centralFailures, acceptingResults }: KioskStatusInputs): KioskStatus {
  const ready = devices.idcardReader.state === DEVICE_STATES.ready && devices.camera.state === DEVICE_STATES.ready;
  if (!ready || !acceptingResults) return KIOSK_STATUSES.outOfService;
  return centralFailures > 0 ? KIOSK_STATUSES.degraded : KIOSK_STATUSES.ok;
}
