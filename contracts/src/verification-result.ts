/**
 * The archival record of one verification at a kiosk: the body of an
 * upstream record of kind {@linkcode VERIFICATION_RESULT_KIND}. It holds
 * personal data (the card holder's identity, and from version 2 their
 * on-screen signature), so the kiosk encrypts it at rest and purges it after
 * central acknowledges it and the retention period ends.
 *
 * The body's schema version travels in the record envelope
 * (`UpstreamRecord.schemaVersion`, covered by the record signature), not in
 * the body. Every version stays readable forever:
 * {@linkcode parseVerificationResult} takes the envelope's version and the
 * body and returns either version, tagged.
 *
 * - Version 1: outcome, referral code, card fields, face score, threshold,
 *   model and a liveness flag, confirmed matters with roles.
 * - Version 2 (current): version 1 with the liveness flag replaced by the
 *   liveness mode and result, plus the face attempt history (outcome and
 *   reason codes only), the applicant's on-screen signature, and the
 *   outcome `no-pending-matter`.
 */
import { z } from "zod";
import { CHALLENGE_ACTIONS, FACE_ATTEMPT_OUTCOMES, GUIDANCE_CODES, LIVENESS_FAILURES, LIVENESS_MODES, type FaceAttemptReason } from "./face-codes.ts";
import { kioskIdSchema } from "./kiosk-status.ts";

/** Upstream record kind of a verification result. */
export const VERIFICATION_RESULT_KIND = "verification-result";
/** Schema version new results are written in. */
export const VERIFICATION_RESULT_SCHEMA_VERSION = 2;

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
  /** Face and liveness passed, but the applicant has no pending matter here to confirm (from version 2). */
  noPendingMatter: "no-pending-matter",
} as const;

/** One of {@linkcode VERIFICATION_OUTCOMES}. */
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[keyof typeof VERIFICATION_OUTCOMES];

/** The outcomes a version 1 body can have. */
export type VerificationOutcomeV1 = Exclude<VerificationOutcome, typeof VERIFICATION_OUTCOMES.noPendingMatter>;

const outcomesV1 = Object.values(VERIFICATION_OUTCOMES).filter((o): o is VerificationOutcomeV1 => o !== VERIFICATION_OUTCOMES.noPendingMatter);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A kiosk clock reading (a claim, as for every kiosk timestamp). */
const kioskTime = z.string().max(40);

// The fields both versions share, with their version 1 meaning.
const common = {
  /** The kiosk session (UUID). */
  sessionId: z.uuid(),
  kioskId: kioskIdSchema,
  /** Code the applicant takes to a staff window when not verified. */
  referralCode: z
    .string()
    .regex(/^[A-Z0-9]{4,16}$/)
    .optional(),
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
  /** Registration matters the applicant confirmed, with their role on each. */
  matters: z.array(z.object({ matterId: z.string().min(1).max(64), role: z.string().min(1).max(32) })).max(50),
  /** Kiosk clock at start and end. */
  startedAt: kioskTime,
  completedAt: kioskTime,
};

/** The body of a verification-result record, schema version 1. */
export const verificationResultV1Schema = z.object({
  ...common,
  outcome: z.enum(outcomesV1 as [VerificationOutcomeV1, ...VerificationOutcomeV1[]]),
  face: z
    .object({
      /** Identity of the embedding model the threshold belongs to. */
      model: z.string().max(128),
      similarity: z.number(),
      threshold: z.number(),
      livenessPassed: z.boolean(),
    })
    .optional(),
});

/** A verification-result body of schema version 1. */
export type VerificationResultV1 = z.infer<typeof verificationResultV1Schema>;


const FACE_ATTEMPT_REASONS = [...new Set<FaceAttemptReason>([...LIVENESS_FAILURES, ...GUIDANCE_CODES])] as [FaceAttemptReason, ...FaceAttemptReason[]];

/** Most face attempts one body records (the kiosk's policy allows 3; this only bounds the body). */
export const MAX_RECORDED_FACE_ATTEMPTS = 10;
/** Most reason codes of one attempt. */
export const MAX_ATTEMPT_REASONS = 4;
/** Most actions of one challenge (the kiosk's `face.liveness.active.actions` allows 5). */
export const MAX_CHALLENGE_ACTIONS = 8;

/**
 * Limits of a signature, chosen so a version 2 body stays small: the
 * largest signature allowed (2,000 points, every coordinate 4 digits) keeps
 * a whole body under 24 KB of JSON, a tenth of `MAX_RECORD_BODY_BYTES`. A
 * signature sampled at 60 Hz for 10 s is 600 points; the kiosk should drop
 * points within a pixel or two of the previous one.
 */
export const SIGNATURE_LIMITS = {
  /** Largest canvas side, in CSS pixels (the kiosk screen is 1080×1920). */
  maxCanvasPx: 2000,
  /** Most strokes (pen-down to pen-up). */
  maxStrokes: 100,
  /** Most points of one stroke. */
  maxStrokePoints: 1000,
  /** Most points of all strokes together. */
  maxPoints: 2000,
} as const;

const L = SIGNATURE_LIMITS;
const canvasPx = z.number().int().min(1).max(L.maxCanvasPx);

/**
 * The applicant's on-screen signature: the pen path only, no timing or
 * pressure (strict: any other field makes it invalid). Each stroke is a
 * flat list `[x0, y0, x1, y1, …]` of integer canvas pixels (origin top
 * left, `0 ≤ x ≤ width`, `0 ≤ y ≤ height`); a tap is a stroke of one point.
 *
 * @example
 * ```ts
 * { width: 1000, height: 400, strokes: [[120, 300, 124, 296, 131, 290], [500, 200]], capturedAt: "2026-12-08T09:30:12.345Z" }
 * ```
 */
export const signatureSchema = z
  .strictObject({
    /** Size of the signing canvas, in CSS pixels. */
    width: canvasPx,
    height: canvasPx,
    strokes: z
      .array(
        z
          .array(z.number().int().min(0).max(L.maxCanvasPx))
          .min(2)
          .max(2 * L.maxStrokePoints)
          .refine((s) => s.length % 2 === 0, "expected x, y pairs"),
      )
      .min(1)
      .max(L.maxStrokes),
    /** Kiosk clock when the applicant finished signing. */
    capturedAt: kioskTime,
  })
  .superRefine((signature, ctx) => {
    let points = 0;
    signature.strokes.forEach((stroke, i) => {
      points += stroke.length / 2;
      for (let j = 0; j < stroke.length; j += 2) {
        if ((stroke[j] as number) > signature.width || (stroke[j + 1] as number) > signature.height) {
          ctx.addIssue({ code: "custom", path: ["strokes", i, j], message: "point outside the canvas" });
          return;
        }
      }
    });
    if (points > L.maxPoints) ctx.addIssue({ code: "custom", path: ["strokes"], message: `more than ${L.maxPoints} points` });
  });

/** An on-screen signature. */
export type Signature = z.infer<typeof signatureSchema>;

/** One face attempt: how it ended and why. Strict: a score or an image in an attempt makes the body invalid. */
export const faceAttemptSchema = z.strictObject({
  outcome: z.enum(FACE_ATTEMPT_OUTCOMES),
  /** What went wrong, most telling first; empty for `matched`, `not-matched` and `cancelled`. */
  reasons: z.array(z.enum(FACE_ATTEMPT_REASONS)).max(MAX_ATTEMPT_REASONS),
});

/** One face attempt. */
export type FaceAttempt = z.infer<typeof faceAttemptSchema>;

/** The body of a verification-result record, schema version 2. */
export const verificationResultV2Schema = z
  .object({
    ...common,
    outcome: z.enum(Object.values(VERIFICATION_OUTCOMES) as [VerificationOutcome, ...VerificationOutcome[]]),
    /** The face decision of the last attempt; absent when the face step was never reached. */
    face: z
      .object({
        /** Identity of the embedding model the threshold belongs to. */
        model: z.string().max(128),
        threshold: z.number(),
        /** The decision's similarity; absent when no match was made (liveness failed, timed out). */
        similarity: z.number().optional(),
        liveness: z.object({
          mode: z.enum(LIVENESS_MODES),
          passed: z.boolean(),
          /** Why it failed; absent when it passed or was never decided. */
          reason: z.enum(LIVENESS_FAILURES).optional(),
          /** The actions the active challenge asked for, in order. */
          actions: z.array(z.enum(CHALLENGE_ACTIONS)).max(MAX_CHALLENGE_ACTIONS).optional(),
        }),
      })
      .optional(),
    /** Every face attempt of the session, in order. */
    attempts: z.array(faceAttemptSchema).max(MAX_RECORDED_FACE_ATTEMPTS),
    /** The applicant's signature confirming the matters; present when verified. */
    signature: signatureSchema.optional(),
  })
  .superRefine((result, ctx) => {
    if (result.outcome !== VERIFICATION_OUTCOMES.verified) return;
    // "Verified" binds a live, matched face to signed, confirmed matters: a body claiming it without them is malformed.
    if (result.face?.similarity === undefined || !result.face.liveness.passed) ctx.addIssue({ code: "custom", path: ["face"], message: "verified without a live, matched face" });
    if (result.matters.length === 0) ctx.addIssue({ code: "custom", path: ["matters"], message: "verified without a confirmed matter" });
    if (!result.signature) ctx.addIssue({ code: "custom", path: ["signature"], message: "verified without a signature" });
  });

/** A verification-result body of schema version 2. */
export type VerificationResultV2 = z.infer<typeof verificationResultV2Schema>;

/** The body of a verification result as new results are written ({@linkcode VERIFICATION_RESULT_SCHEMA_VERSION}). */
export type VerificationResult = VerificationResultV2;

/** The schema of each version central and the kiosk can read, by `schemaVersion`. */
export const VERIFICATION_RESULT_SCHEMAS = {
  1: verificationResultV1Schema,
  2: verificationResultV2Schema,
} as const;

/** A schema version of a verification-result body. */
export type VerificationResultSchemaVersion = keyof typeof VERIFICATION_RESULT_SCHEMAS;

/** A verification-result body tagged with its schema version. */
export type VersionedVerificationResult =
  | { readonly schemaVersion: 1; readonly body: VerificationResultV1 }
  | { readonly schemaVersion: 2; readonly body: VerificationResultV2 };

/** Where and why a body does not match its schema. Never quotes a value (they are personal data). */
export interface BodyIssue {
  /** Dotted path of the field, `""` for the body itself. */
  readonly path: string;
  /** Zod's issue code, such as `invalid_type`. */
  readonly code: string;
  readonly message: string;
}

/** Outcome of {@linkcode parseVerificationResult}. */
export type VerificationResultParse =
  | { readonly ok: true; readonly result: VersionedVerificationResult }
  | { readonly ok: false; readonly unknownVersion: true; readonly issues: readonly [] }
  | { readonly ok: false; readonly unknownVersion: false; readonly issues: readonly [BodyIssue, ...BodyIssue[]] };

/** Whether `schemaVersion` is a version of a verification-result body. */
export function isVerificationResultSchemaVersion(schemaVersion: number): schemaVersion is VerificationResultSchemaVersion {
  return Object.hasOwn(VERIFICATION_RESULT_SCHEMAS, schemaVersion);
}

/**
 * Parses a verification-result body (the parsed JSON, not its text) as the
 * schema version its record envelope names. A body is never read as
 * another version than it claims.
 *
 * @example
 * ```ts
 * const parsed = parseVerificationResult(record.schemaVersion, JSON.parse(record.body));
 * if (parsed.ok && parsed.result.schemaVersion === 2) use(parsed.result.body.signature);
 * ```
 */
export function parseVerificationResult(schemaVersion: number, body: unknown): VerificationResultParse {
  if (!isVerificationResultSchemaVersion(schemaVersion)) return { ok: false, unknownVersion: true, issues: [] };
  const parsed = VERIFICATION_RESULT_SCHEMAS[schemaVersion].safeParse(body);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message }));
    return { ok: false, unknownVersion: false, issues: [first ?? { path: "", code: "custom", message: "invalid" }, ...rest] };
  }
  return { ok: true, result: { schemaVersion, body: parsed.data } as VersionedVerificationResult };
}
