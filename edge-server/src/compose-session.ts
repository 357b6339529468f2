/**
 * Wiring of the verification session: the machine with the configured
 * countdowns, the service that runs it against the devices and the store,
 * and the camera preview of the face step. Web-standard code only; the
 * runtime entry point passes the real devices in.
 */
import type { Clock, Logger } from "@kiosk/contracts";
import { VerificationSession } from "./domain/verification-session.ts";
import type { EdgeConfig } from "./config.ts";
import { sessionSettings } from "./session-config.ts";
import { CameraPreview, type PreviewCamera } from "./services/camera-preview.ts";
import type { SessionCardReader, SessionDeviceHealth, SessionFaceCapture, SessionFaceModel, SessionPhotoDecoder, SessionResultStore, SessionSyncDown } from "./services/verification-session-ports.ts";
import { VerificationSessionService } from "./services/verification-session-service.ts";

/** The parts the session runs against. */
export interface SessionParts {
  readonly clock: Clock;
  readonly log: Logger;
  readonly reader: SessionCardReader;
  readonly photos: SessionPhotoDecoder;
  readonly camera: PreviewCamera;
  readonly capture: SessionFaceCapture;
  readonly faceModel: SessionFaceModel;
  readonly syncDown: SessionSyncDown;
  readonly results: SessionResultStore;
  readonly health: SessionDeviceHealth;
  /** Numbers in [0, 1) for referral codes; defaults to `Math.random`. */
  readonly random?: () => number;
}

/** The session service and its preview; start both (the service first) and stop them in reverse. */
export interface SessionCore {
  readonly session: VerificationSessionService;
  readonly preview: CameraPreview;
}

/** Builds the session from `config.session`, `config.face.liveness` and `parts`; starts nothing. */
export function composeSession(config: Pick<EdgeConfig, "session" | "face">, parts: SessionParts): SessionCore {
  const machine = new VerificationSession({ settings: sessionSettings(config.session), random: parts.random ?? Math.random, newSessionId: () => crypto.randomUUID() });
  const log = parts.log.child("session");
  const session: VerificationSessionService = new VerificationSessionService({
    machine,
    clock: parts.clock,
    log,
    reader: parts.reader,
    photos: parts.photos,
    capture: parts.capture,
    faceModel: parts.faceModel,
    syncDown: parts.syncDown,
    results: parts.results,
    health: parts.health,
    settings: { minAgeYears: config.session.minAgeYears, livenessMode: config.face.liveness.mode },
    onAnalysis: (info) => preview.analysed(info),
  });
  const preview = new CameraPreview({ camera: parts.camera, hub: session, log: log.child("preview") });
  return { session, preview };
}
