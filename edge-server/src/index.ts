export { createApp, type AppDeps } from "./app.ts";
export { composeEdge, type EdgeAdapters, type EdgeCore } from "./compose.ts";
export { HttpCentralClient } from "./adapters/central-client-http.ts";
export { HeartbeatSender, type HeartbeatState } from "./services/heartbeat-sender.ts";
export { EDGE_CONFIG_FILE_ENV, EDGE_ENV_PREFIX, edgeConfigFields, edgeConfigSchema, loadEdgeConfig, type EdgeConfig } from "./config.ts";
export { startEdge, type EdgeRuntime } from "./main.ts";
export { openKioskStorage, type KioskStorage, type KioskStorageConfig, type KioskStorageDeps, type KioskStorageStatus } from "./store/open-kiosk-storage.ts";
export { KioskStore, OUTBOX_STATES, type KioskIdentity, type NewRecord, type OutboxState, type SavedRecord, type StoredRecord, type ChainReport } from "./store/kiosk-store.ts";
export { OutboxSender, type OutboxSenderState } from "./outbox/outbox-sender.ts";
export { SyncDownClient } from "./sync-down/sync-down-client.ts";
export type { BlocklistEntry } from "./sync-down/sync-cache.ts";
export type { DataSealer } from "./store/data-sealer.ts";
export { syncConfigSchema, type SyncConfig } from "./sync-config.ts";
export { CHIP_ATTEMPTS, DEFAULT_FACE_MODEL_ID, DEFAULT_FACE_THRESHOLD, FACE_MODELS, defaultFaceConfig, faceConfigSchema, type FaceConfig } from "./face-config.ts";
export { calibrationMismatch, compareEmbeddings, cosineSimilarity, decideMatch, fuseScores, l2Normalize, MATCH_RULE, MATCH_RULES, ruleSimilarity, templateEmbedding, type CalibratedThreshold, type EmbeddingModel, type EmbeddingPart, type MatchDecision, type MatchRule, type ScoreNorm } from "./domain/face-match.ts";
export { VerificationScores, nextUp, type EqualErrorRate, type RatesAtThreshold, type RocPoint, type TarAtFar } from "./domain/verification-metrics.ts";
export type { ChipEmbedding, ChipPreparation, FaceBox, FaceCallOptions, FaceEngine, FaceQuality, FaceSummary, FrameAnalysis, HeadPose, LivenessSignals, MainFace, RgbImage } from "./ports.ts";
export { createFaceEngine, faceEmbeddingModel, type FaceEngineOverrides } from "./adapters/face/create-face-engine.ts";
export { WorkerFaceEngine, defaultModelPaths, defaultWorkerCount, type FaceModelPaths, type WorkerFaceEngineOptions } from "./adapters/face/worker-face-engine.ts";
export { decodeImage, encodeJpeg, resizeCover } from "./adapters/face/image-decoder.ts";
export { qualityGateConfigSchema, type QualityGateConfig } from "./quality-gate-config.ts";
export { livenessConfigSchema, type LivenessConfig } from "./liveness-config.ts";
export { GUIDANCE_CODES, assessQuality, countBystanders, type GateFace, type GateFrame, type GuidanceCode, type QualityThresholds, type QualityVerdict } from "./domain/quality-gate.ts";
export { CHALLENGE_ACTIONS, CHALLENGE_FAILURES, LivenessChallenge, noseOffset, planChallenge, type ChallengeAction, type ChallengeFace, type ChallengeFailure, type ChallengeFrame, type ChallengeSettings, type ChallengeStatus } from "./domain/liveness-challenge.ts";
export { LIVENESS_MODES, assessPassiveLiveness, decideLiveness, type LivenessDecision, type LivenessMode, type PassiveFailure, type PassiveLimits, type PassiveVerdict } from "./domain/liveness-decision.ts";
export { calibrateThreshold, quantile, type CalibrationOptions, type CalibrationReport, type ScoredPair } from "./domain/threshold-calibration.ts";
export { devicesConfigSchema, type DevicesConfig } from "./devices-config.ts";
export { createCamera } from "./adapters/hardware.ts";
export { CameraLiveFrames } from "./adapters/camera-frames.ts";
export { FaceCapture, type CaptureOutcome, type CaptureRunOptions, type CaptureUpdate, type FaceCaptureDeps, type FaceCaptureSettings, type FrameAnalysisInfo } from "./services/face-capture.ts";
export { VerificationSessionService, type SessionHub, type VerificationSessionServiceDeps } from "./services/verification-session-service.ts";
export { sessionConfigSchema, sessionSettings, type SessionConfig } from "./session-config.ts";
export type { LiveFrame, LiveFrameSource } from "./ports.ts";
export { VerificationSession, type VerificationSessionDeps } from "./domain/verification-session.ts";
export {
  SESSION_REJECTIONS,
  type ActiveSession,
  type AttemptRecord,
  type CardSession,
  type ConfirmedMatter,
  type FaceAttemptResult,
  type FaceEvidence,
  type FaceUpdate,
  type PendingMatter,
  type ResultDraft,
  type SessionCard,
  type SessionEffect,
  type SessionEnding,
  type SessionEvent,
  type SessionEventType,
  type SessionRejection,
  type SessionState,
  type StepResult,
  type StepTimer,
} from "./domain/verification-session-types.ts";
export { BUSY_STEPS, DEFAULT_SESSION_SETTINGS, checkSessionSettings, type SessionSettings, type StepTimeout, type TimedStep } from "./domain/verification-session-settings.ts";
export { nextTimerAtMs, secondsLeft, startTimer, timerPhase } from "./domain/verification-session-timeouts.ts";
export { REFERRAL_RANDOM_DIGITS, dammCheckDigit, isReferralCode, referralCode } from "./domain/verification-session-referral.ts";
export { attemptFailure, faceEvidence, failedFaceOutcome, resultDraft, resultKind, sessionEnding, type DraftParts } from "./domain/verification-session-outcome.ts";
export { maskIdNumber, phaseIndex, sessionView } from "./domain/verification-session-view.ts";
export { BLOCKLIST_REJECTIONS, cardRejections, type BlocklistReason, type CardCheckResults } from "./domain/verification-session-card-checks.ts";
export { PENDING_MATTER_MAX_AGE_MS, pendingMatters } from "./domain/verification-session-matters.ts";
export type { VoiceClip, VoicePromptSource } from "./ports.ts";
export { GENERATED_VOICE_DIR, VoicePromptFiles, type VoicePromptFilesOptions } from "./adapters/voice-prompt-files.ts";
export { VOICE_MANIFEST_FILE, generatedClipFile, manifestClipId, voiceManifestSchema, type VoiceClipEntry, type VoiceManifest } from "./voice-manifest.ts";
export { demoConfigSchema, type DemoConfig } from "./demo-config.ts";
export type { DemoCameraControl, DemoReaderControl, SessionViewSource } from "./demo-ports.ts";
export { DemoControls } from "./services/demo-controls.ts";
export { DemoCameraDirector } from "./services/demo-camera-director.ts";
