/**
 * Settings of the kiosk side of store-and-forward (results up to central)
 * and sync-down (matters and the blocklist down to the kiosk). The lead
 * mounts {@linkcode syncConfigSchema} under the key `sync` of the edge config,
 * so every setting gets a `KIOSK_EDGE_SYNC_*` variable.
 */
import { keyIdSchema, MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from "@kiosk/contracts";
import { z } from "zod";

const MIB = 1024 * 1024;

/** Schema of the store-and-forward and sync-down settings. */
export const syncConfigSchema = z
  .object({
    dbPath: z.string().min(1).default("var/edge/kiosk.db").meta({
      description: "SQLite file holding saved results, their outbox and the sync-down cache (its -wal and -shm files sit beside it)",
    }),
    dataKeyFile: z.string().min(1).default("var/edge/keys/data.key").meta({
      description: "File (mode 0600, created when missing) holding the AES-256 key that encrypts personal data in the database",
    }),
    signingKeyFile: z.string().min(1).default("var/edge/keys/signing.key").meta({
      description: "File (mode 0600, created when missing) holding the kiosk's Ed25519 key that signs every result and request",
    }),
    centralPublicKey: z
      .string()
      .regex(/^[A-Za-z0-9+/_-]{43}={0,1}$/, "expected a 32-byte Ed25519 public key in base64")
      .optional()
      .meta({
        description:
          "Central's receipt and sync-page public key (raw Ed25519, base64); without it nothing is ever marked acknowledged and sync-down stays off",
      }),
    centralKeyId: keyIdSchema.optional().meta({
      description: "Key id of centralPublicKey (ed25519:<hex>); when set it must match the key, guarding against a pasted wrong key",
    }),
    retentionDays: z.number().int().min(0).max(3650).default(30).meta({
      description: "Days an acknowledged result keeps its personal data on the kiosk before it is purged (signed header and receipt stay)",
    }),
    disk: z.object({
      budgetBytes: z.number().int().min(1).default(512 * MIB).meta({
        description: "Most bytes the database and its WAL may use, in bytes",
      }),
      softWatermark: z.number().gt(0).max(1).default(0.7).meta({
        description: "Share of the budget (0-1) above which the kiosk warns that storage is filling",
      }),
      hardWatermark: z.number().gt(0).max(1).default(0.95).meta({
        description: "Share of the budget (0-1) above which new results are refused until space returns (fail closed)",
      }),
      minFreeBytes: z.number().int().min(0).default(64 * MIB).meta({
        description: "Free filesystem space, in bytes, below which new results are refused (twice this is the soft warning)",
      }),
      checkIntervalMs: z.number().int().min(1000).max(3_600_000).default(60_000).meta({
        description: "Time between storage checks and retention purges, in milliseconds",
      }),
      purgeAckedWhenFull: z.boolean().default(true).meta({
        description: "At the hard watermark, purge personal data of acknowledged results before their retention ends (unacknowledged ones are never dropped)",
      }),
    }),
    batch: z.object({
      maxRecords: z.number().int().min(1).max(MAX_BATCH_RECORDS).default(MAX_BATCH_RECORDS).meta({
        description: "Most results in one batch sent to central",
      }),
      maxBytes: z.number().int().min(64 * 1024).max(MAX_BATCH_BYTES).default(MAX_BATCH_BYTES).meta({
        description: "Most bytes of one batch's JSON before compression",
      }),
      requestTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000).meta({
        description: "Time limit of one batch upload or sync pull, in milliseconds (slow hall links need generous limits)",
      }),
      idlePollMs: z.number().int().min(1000).max(3_600_000).default(60_000).meta({
        description: "Time between checks for unsent results when nothing signals new work, in milliseconds",
      }),
    }),
    backoff: z.object({
      baseMs: z.number().int().min(10).max(600_000).default(1_000).meta({
        description: "First retry delay cap after a failed delivery, in milliseconds (full jitter below it)",
      }),
      capMs: z.number().int().min(10).max(3_600_000).default(60_000).meta({
        description: "Largest retry delay cap, in milliseconds; retries go on forever",
      }),
    }),
    syncDown: z.object({
      pullIntervalMs: z.number().int().min(5_000).max(86_400_000).default(300_000).meta({
        description: "Time between pulls of matters and blocklist changes from central, in milliseconds",
      }),
    }),
  })
  .refine((c) => c.disk.softWatermark <= c.disk.hardWatermark, {
    path: ["disk", "softWatermark"],
    message: "must not exceed disk.hardWatermark",
  })
  .refine((c) => c.backoff.baseMs <= c.backoff.capMs, { path: ["backoff", "baseMs"], message: "must not exceed backoff.capMs" });

/** The validated store-and-forward and sync-down settings. */
export type SyncConfig = Readonly<z.output<typeof syncConfigSchema>>;
