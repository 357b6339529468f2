/** Wire shape of the edge server's `GET /api/health`. */
import { z } from "zod";
import { devicesStatusSchema } from "./device-status.ts";
import { kioskIdSchema, kioskStatusSchema } from "./kiosk-status.ts";

export const problemSummarySchema = z.object({
  code: z.string(),
  message: z.string(),
  at: z.iso.datetime(),
});

/** Levels of the kiosk's local storage against its budget. */
export const STORAGE_LEVELS = {
  /** Below the soft watermark. */
  ok: "ok",
  /** Above the soft watermark: still accepting results, a technician should look. */
  soft: "soft",
  /** Above the hard watermark or the filesystem is nearly full: new results are refused (fail closed). */
  hard: "hard",
} as const;

/** One of {@linkcode STORAGE_LEVELS}. */
export type StorageLevel = (typeof STORAGE_LEVELS)[keyof typeof STORAGE_LEVELS];

/** The kiosk's store-and-forward queue of results for central. */
export const outboxHealthSchema = z.object({
  /** Results not yet acknowledged by a verified central receipt. */
  backlog: z.number().int().nonnegative(),
  /** Seconds since the oldest unacknowledged result was saved (kiosk clock); null when the backlog is empty. */
  oldestPendingAgeS: z.number().nonnegative().nullable(),
  /** Results central refused; kept on the kiosk for investigation, never resent automatically. */
  quarantined: z.number().int().nonnegative(),
  /** Kiosk clock when central last acknowledged results. */
  lastAckAt: z.iso.datetime().nullable(),
  /** The last failure to deliver a batch, cleared on success. */
  lastError: problemSummarySchema.nullable(),
  consecutiveFailures: z.number().int().nonnegative(),
  /** Local storage use, measured from the database files and the filesystem's free space. */
  storage: z.object({
    level: z.enum(Object.values(STORAGE_LEVELS) as [StorageLevel, ...StorageLevel[]]),
    /** False when new results are refused; `reason` then says why. */
    acceptingResults: z.boolean(),
    reason: z.string().nullable(),
    usedBytes: z.number().int().nonnegative(),
    budgetBytes: z.number().int().positive(),
    freeBytes: z.number().int().nonnegative(),
  }),
});

/** Health of the store-and-forward queue. */
export type OutboxHealth = z.infer<typeof outboxHealthSchema>;

/** The kiosk's offline copy of its hall's matters and the card blocklist. */
export const syncDownHealthSchema = z.object({
  /** Central's change-log position the cache has reached. */
  cursor: z.number().int().nonnegative(),
  /** Kiosk clock at the last pull that reached the end of central's changes; null before the first. */
  lastCompleteAt: z.iso.datetime().nullable(),
  /** Seconds since `lastCompleteAt`; null before the first complete pull. */
  cacheAgeS: z.number().nonnegative().nullable(),
  openMatters: z.number().int().nonnegative(),
  blocklisted: z.number().int().nonnegative(),
  /** The last failed pull, cleared on success. */
  lastError: problemSummarySchema.nullable(),
});

/** Health of the sync-down cache. */
export type SyncDownHealth = z.infer<typeof syncDownHealthSchema>;

/** States of the face engine's worker pool. */
export const FACE_ENGINE_STATUSES = {
  /** Every configured worker runs its models. */
  ok: "ok",
  /** Fewer workers run than configured (one crashed or stalled and its replacement is not up yet): frames wait longer. */
  degraded: "degraded",
} as const;

/** One of {@linkcode FACE_ENGINE_STATUSES}. */
export type FaceEngineStatus = (typeof FACE_ENGINE_STATUSES)[keyof typeof FACE_ENGINE_STATUSES];

/** The face engine: which embeddings it makes, against which threshold, on how many workers. */
export const faceEngineHealthSchema = z.object({
  status: z.enum(Object.values(FACE_ENGINE_STATUSES) as [FaceEngineStatus, ...FaceEngineStatus[]]),
  /** Identity of the embedding model (the threshold is calibrated for it). */
  model: z.string(),
  /** Similarity at or above which a live face matches the chip photo. */
  threshold: z.number(),
  /** Worker threads running the models now. */
  workers: z.number().int().nonnegative(),
  /** Worker threads the engine is configured to run. */
  configuredWorkers: z.number().int().nonnegative(),
  /** Workers started since start-up to replace one that crashed or stalled (failed attempts included). */
  restarts: z.number().int().nonnegative(),
  /** Time the slowest worker took to load its models, in milliseconds. */
  loadMs: z.number().nonnegative(),
});

/** One of the face engine's health reports. */
export type FaceEngineHealth = z.infer<typeof faceEngineHealthSchema>;

export const edgeHealthSchema = z.object({
  service: z.literal("edge"),
  status: kioskStatusSchema,
  kioskId: kioskIdSchema,
  version: z.string(),
  startedAt: z.iso.datetime(),
  uptimeS: z.number().nonnegative(),
  devices: devicesStatusSchema,
  central: z.object({
    url: z.string(),
    /** When central last acknowledged a heartbeat. */
    lastHeartbeatAt: z.iso.datetime().nullable(),
    /** The last failure to reach central, cleared on success. */
    lastError: problemSummarySchema.nullable(),
    consecutiveFailures: z.number().int().nonnegative(),
  }),
  /** Store-and-forward of results; absent until the kiosk storage is wired in. */
  outbox: outboxHealthSchema.optional(),
  /** Sync-down of matters and the blocklist; absent until wired in. */
  syncDown: syncDownHealthSchema.optional(),
  /** The face engine; absent where the runtime has none (Deno). */
  face: faceEngineHealthSchema.optional(),
});

/** The edge server's health report. */
export type EdgeHealth = z.infer<typeof edgeHealthSchema>;
