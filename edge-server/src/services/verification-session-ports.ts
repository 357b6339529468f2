/**
 * What the verification session service needs from the rest of the edge
 * server, as small interfaces: the reader's events, the chip photo decoder,
 * the face capture, the sync-down cache and the result store. The real
 * parts (`IdCardReader`, `ChipPhotoDecoder`, `FaceCapture`, `SyncDownClient`,
 * `KioskStore`) satisfy them; unit tests pass fakes.
 */
import type { LivenessMode, Matter, VerificationResult } from "@kiosk/contracts";
import type { IdCardReader, PhotoDecoder } from "@kiosk/device";
import type { BlocklistEntry } from "../sync-down/sync-cache.ts";
import type { FaceEngine, RgbImage } from "../ports.ts";
import type { CaptureOutcome, CaptureRunOptions } from "./face-capture.ts";

/** The reader's typed events (`IdCardReader.on` / `off`), and a second read of a card placed before it was wanted (`readAgain`). */
export type SessionCardReader = Pick<IdCardReader, "on" | "off" | "readAgain">;

/** Decodes the chip photo to RGB (`ChipPhotoDecoder`). */
export type SessionPhotoDecoder = PhotoDecoder;

/** Runs one face capture against a chip photo (`FaceCapture`). */
export interface SessionFaceCapture {
  run(chipPhoto: RgbImage, options: CaptureRunOptions): Promise<CaptureOutcome>;
}

/** The face engine as a result records it: its model and calibrated threshold. */
export type SessionFaceModel = Pick<FaceEngine, "model" | "threshold">;

/** The sync-down cache, offline (`SyncDownClient`). */
export interface SessionSyncDown {
  /** Open matters of this kiosk's hall that name `cardNumber` as a person. */
  pendingMatters(cardNumber: string): Promise<Matter[]>;
  blocklistEntry(cardNumber: string): Promise<BlocklistEntry>;
  /** The hall the cache holds, or null before the first sync. */
  hallId(): string | null;
}

/** Where results are committed (`KioskStore`). */
export interface SessionResultStore {
  identity(): { readonly kioskId: string };
  /** Resolves once the result is on disk. @throws {KioskError} `store-full`, `store-failed`, `bad-request`. */
  saveResult(result: VerificationResult): Promise<unknown>;
}

/** Health of the devices the session cannot run without, polled about once a second; each true when working. */
export interface SessionDeviceHealth {
  camera(): boolean;
  faceEngine(): boolean;
  /** False while the store refuses new results (storage full). */
  storage(): boolean;
}

/** Card and face settings of the session service. */
export interface SessionServiceSettings {
  /** Youngest card holder verified, in whole years (0: no limit). */
  readonly minAgeYears: number;
  /** The liveness mode the face capture runs, as results record it. */
  readonly livenessMode: LivenessMode;
}
