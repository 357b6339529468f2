/** The failures of one face engine call that the pool itself causes or detects. */
import { KioskError, type KioskErrorOptions } from "@kiosk/contracts";

/** Codes of {@linkcode FaceEngineError}. */
export type FaceEngineErrorCode = "face-engine-timeout" | "face-engine-crashed" | "face-engine-aborted";

/**
 * A face engine call that got no answer: its deadline passed
 * (`face-engine-timeout`), its worker died (`face-engine-crashed`), or its
 * caller aborted it (`face-engine-aborted`).
 */
export class FaceEngineError extends KioskError {
  declare readonly code: FaceEngineErrorCode;

  constructor(code: FaceEngineErrorCode, message: string, options: KioskErrorOptions = {}) {
    super(code, message, options);
  }
}
