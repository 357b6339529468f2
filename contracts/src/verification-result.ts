/**
 * The archival record of one verification at a kiosk: the body of an
 * upstream record of kind {@linkcode VERIFICATION_RESULT_KIND}. It holds
 * personal data (the card holder's identity), so the kiosk encrypts it at rest
 * and purges it after central acknowledges it and the retention period ends.
 */
import { z } from "zod";
import { kioskIdSchema } from "./kiosk-status.ts";

/** Upstream record kind of a verification result. */
export const VERIFICATION_RESULT_KIND = "verification-result";
/** Current schema version of its body. */
export const VERIFICATION_RESULT_SCHEMA_VERSION = 1;

/** How a verification ended. */
export const VERIFICATION_OUTCOMES = {
  /** Card valid, live face matched the chip photo, liveness passed, matters confirmed. */
  verified: "verified",
  /** The face did not match the chip photo. */
  faceMismatch: "face-mismatch",
  /** The liveness check failed. */
  livenessFailed: "liveness-failed",
  /** The card failed a check (expired, blocklisted, unreadable photo…). */
  cardRejected: "card-rejected",
  /** The applicant declined face processing and was referred to a staff window. */
  declined: "declined",
  /** The applicant left before finishing. */
  abandoned: "abandoned",
} as const;

/** One of {@linkcode VERIFICATION_OUTCOMES}. */
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[keyof typeof VERIFICATION_OUTCOMES];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const verificationResultSchema = z.object({
  /** The kiosk session (UUID). */
  sessionId: z.uuid(),
  kioskId: kioskIdSchema,
  outcome: z.enum(Object.values(VERIFICATION_OUTCOMES) as [VerificationOutcome, ...VerificationOutcome[]]),
  /** Code the applicant takes to a staff window when not verified. */
  referralCode: z.string().regex(/^[A-Z0-9]{4,16}$/).optional(),
  card: z.object({
    cardType: z.enum(["resident", "hmt-residence", "foreign-permanent-2017", "foreign-permanent-2023"]),
    idNumber: z.string().min(1).max(32),
    name: z.string().min(1).max(64),
    nameEn: z.string().max(128).optional(),
    sex: z.enum(["male", "female"]),
    birthDate: isoDate,
    validUntil: z.union([isoDate, z.literal("long-term")]),
    nationality: z.string().max(3).optional(),
  }),
  face: z
    .object({
      /** Identity of the embedding model the threshold belongs to. */
      model: z.string().max(128),
      similarity: z.number(),
      threshold: z.number(),
      livenessPassed: z.boolean(),
    })
    .optional(),
  /** Registration matters the applicant confirmed, with their role on each. */
  matters: z.array(z.object({ matterId: z.string().min(1).max(64), role: z.string().min(1).max(32) })).max(50),
  /** Kiosk clock at start and end (claims, as for every kiosk timestamp). */
  startedAt: z.string().max(40),
  completedAt: z.string().max(40),
});

/** The body of a verification-result record. */
export type VerificationResult = z.infer<typeof verificationResultSchema>;
