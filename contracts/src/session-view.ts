/**
 * What the kiosk UI renders of a verification session: the edge server's
 * session machine projects its state into a {@linkcode SessionView} and
 * pushes it to the UI, which parses it with {@linkcode sessionViewSchema}.
 * The view holds no personal data beyond the masked ID number.
 *
 * The code lists here are the vocabulary shared by the machine, the UI's
 * messages and the voice prompts.
 */
import { z } from "zod";
import { CHALLENGE_ACTIONS, GUIDANCE_CODES, type ChallengeAction, type GuidanceCode } from "./face-codes.ts";
import { MATTER_KINDS, PERSON_ROLES } from "./sync-down.ts";
import { VERIFICATION_OUTCOMES, type VerificationOutcome } from "./verification-result.ts";

/** Languages of the kiosk UI; the first is the default. */
export const SESSION_LANGUAGES = ["zh", "en"] as const;

/** One of {@linkcode SESSION_LANGUAGES}. */
export type SessionLanguage = (typeof SESSION_LANGUAGES)[number];

/** True when `value` is one of the UI's languages. */
export function isSessionLanguage(value: string): value is SessionLanguage {
  return (SESSION_LANGUAGES as readonly string[]).includes(value);
}

/**
 * The screens of a session, in journey order.
 *
 * - `idle`: the attract loop; no session.
 * - `language` → `consent` → `place-card` → `reading`: before the card is read.
 * - `face`: one capture attempt; `face-retry`: the reason of a failed attempt, with "try again".
 * - `matters` → `signature`: after a pass, the pending matters to confirm, then the signature.
 * - `saving`: the result is being committed; `result`: the verdict (or referral) after it was saved.
 * - `out-of-service`: a device fault; the kiosk comes back by itself.
 */
export const SESSION_STEPS = [
  "idle",
  "language",
  "consent",
  "place-card",
  "reading",
  "face",
  "face-retry",
  "matters",
  "signature",
  "saving",
  "result",
  "out-of-service",
] as const;

/** One of {@linkcode SESSION_STEPS}. */
export type SessionStep = (typeof SESSION_STEPS)[number];

/** The phases of the step indicator ("1 同意 → 2 放证 → …"), each with the steps it covers. */
export const SESSION_PHASES = {
  consent: ["consent"],
  card: ["place-card", "reading"],
  face: ["face", "face-retry"],
  matters: ["matters"],
  signature: ["signature"],
  result: ["saving", "result"],
} as const satisfies Record<string, readonly SessionStep[]>;

/** One of the keys of {@linkcode SESSION_PHASES}. */
export type SessionPhase = keyof typeof SESSION_PHASES;

/**
 * Why a card was refused, each with its own message. The first six are the
 * reader-side checks (`checkCard` of `@kiosk/device`); the rest come from the
 * reader (a card layout it cannot parse), the photo decoder and the blocklist.
 */
export const CARD_REJECTIONS = [
  "expired",
  "not-yet-valid",
  "bad-id-number",
  "birth-date-mismatch",
  "sex-mismatch",
  "under-age",
  "unsupported-card",
  "photo-undecodable",
  "photo-no-face",
  "reported-lost",
  "reported-stolen",
  "card-invalidated",
] as const;

/** One of {@linkcode CARD_REJECTIONS}. */
export type CardRejection = (typeof CARD_REJECTIONS)[number];

/**
 * Why one face attempt failed: not the card holder, liveness not passed, a
 * capture that never got a good frame (the last guidance that was not
 * followed), or a time limit with nothing more specific to say.
 */
export const ATTEMPT_FAILURES = ["not-same-person", "liveness-not-passed", ...GUIDANCE_CODES, "timed-out"] as const;

/** One of {@linkcode ATTEMPT_FAILURES}. */
export type AttemptFailure = (typeof ATTEMPT_FAILURES)[number];

/** Why the card must be placed again. */
export const PLACE_CARD_NOTICES = ["read-failed", "card-removed-early"] as const;

/** One of {@linkcode PLACE_CARD_NOTICES}. */
export type PlaceCardNotice = (typeof PLACE_CARD_NOTICES)[number];

/** Devices whose fault takes the kiosk out of service. */
export const SESSION_DEVICES = ["reader", "camera", "face-engine", "storage"] as const;

/** One of {@linkcode SESSION_DEVICES}. */
export type SessionDevice = (typeof SESSION_DEVICES)[number];

/**
 * Which result screen to show: `verified` ("核验通过 / Verified"), `referral`
 * ("请到窗口办理 / Please go to a staff window", with the referral code) or
 * `no-matter` (passed, but nothing pending: what to do next).
 */
export const RESULT_KINDS = ["verified", "referral", "no-matter"] as const;

/** One of {@linkcode RESULT_KINDS}. */
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Referral codes: digits only (nothing to confuse on a large display), the last one a check digit. */
export const REFERRAL_CODE_PATTERN = /^[0-9]{7}$/;

/** Screens without a prompt of their own (see {@linkcode SESSION_PROMPT_KEYS}). */
const UNSPOKEN_STEPS = ["idle", "saving", "result", "face-retry"] as const satisfies readonly SessionStep[];
type UnspokenStep = (typeof UNSPOKEN_STEPS)[number];

/**
 * Keys of the voice prompts the session asks for, one clip (with its
 * caption) per key and language: one per screen (but the attract loop and
 * the brief saving step; each result kind has its own, and the face-retry
 * screen speaks the failed attempt's reason), the place-card
 * screen once more for each of its notices, the timeout warning, each
 * challenge action, each guidance code, each attempt failure and each card
 * rejection (spoken on the result screen of a refused card).
 */
export const SESSION_PROMPT_KEYS = [
  ...SESSION_STEPS.filter((step): step is Exclude<SessionStep, UnspokenStep> => !(UNSPOKEN_STEPS as readonly SessionStep[]).includes(step)),
  ...PLACE_CARD_NOTICES.map((notice) => `place-card-${notice}` as const),
  ...RESULT_KINDS.map((kind) => `result-${kind}` as const),
  "timeout-warning",
  ...CHALLENGE_ACTIONS.map((action) => `challenge-${action}` as const),
  ...GUIDANCE_CODES.map((code) => `guidance-${code}` as const),
  ...ATTEMPT_FAILURES.map((reason) => `attempt-${reason}` as const),
  ...CARD_REJECTIONS.map((reason) => `card-${reason}` as const),
] as const;

/** One of {@linkcode SESSION_PROMPT_KEYS}. */
export type SessionPromptKey =
  | Exclude<SessionStep, UnspokenStep>
  | `place-card-${PlaceCardNotice}`
  | `result-${ResultKind}`
  | "timeout-warning"
  | `challenge-${ChallengeAction}`
  | `guidance-${GuidanceCode}`
  | `attempt-${AttemptFailure}`
  | `card-${CardRejection}`;

const countdownSchema = z.object({
  /** Whole seconds until the step times out (rounded up). */
  secondsLeft: z.number().int().nonnegative(),
  /** True in the warning phase: show "Need more time?" with the countdown. */
  warning: z.boolean(),
});

const common = {
  language: z.enum(SESSION_LANGUAGES),
  /** Phase of the step indicator, 1-based, or null on screens outside the journey (idle, language, out of service). */
  phaseIndex: z.number().int().min(1).max(Object.keys(SESSION_PHASES).length).nullable(),
  /** Number of phases of the step indicator. */
  phaseCount: z.literal(Object.keys(SESSION_PHASES).length),
  /** The idle countdown of the screen, or null when it shows none (idle, busy steps, out of service). */
  countdown: countdownSchema.nullable(),
};

const cardViewSchema = z.object({
  cardType: z.enum(["resident", "hmt-residence", "foreign-permanent-2017", "foreign-permanent-2023"]),
  /** The ID number as its first 4 characters, 8 asterisks and its last 4. */
  maskedIdNumber: z.string().max(16),
});

const pendingMatterViewSchema = z.object({
  matterId: z.string(),
  companyName: z.string(),
  kind: z.enum(MATTER_KINDS),
  /** The applicant's roles on the matter. */
  roles: z.array(z.enum(PERSON_ROLES)).min(1),
  confirmed: z.boolean(),
});

/** The session as the UI renders it: one shape per step, discriminated by `step`. */
export const sessionViewSchema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("idle"), ...common }),
  z.object({ step: z.literal("language"), ...common }),
  z.object({ step: z.literal("consent"), ...common }),
  z.object({ step: z.literal("place-card"), ...common, notice: z.enum(PLACE_CARD_NOTICES).nullable() }),
  z.object({ step: z.literal("reading"), ...common }),
  z.object({
    step: z.literal("face"),
    ...common,
    card: cardViewSchema,
    /** The attempt running, 1-based, of `maxAttempts`. */
    attempt: z.number().int().min(1),
    maxAttempts: z.number().int().min(1),
    /** What to tell the applicant to get into position; null once the frame is good. */
    guidance: z.enum(GUIDANCE_CODES).nullable(),
    /** The challenge action to perform now (`step` from 0 of `of`), or null when none is asked. */
    challenge: z.object({ action: z.enum(CHALLENGE_ACTIONS), step: z.number().int().nonnegative(), of: z.number().int().min(1) }).nullable(),
  }),
  z.object({
    step: z.literal("face-retry"),
    ...common,
    card: cardViewSchema,
    /** The attempt that failed, 1-based. */
    attempt: z.number().int().min(1),
    maxAttempts: z.number().int().min(1),
    reason: z.enum(ATTEMPT_FAILURES),
  }),
  z.object({
    step: z.literal("matters"),
    ...common,
    card: cardViewSchema,
    /** The applicant's open matters of this hall, or null while they load. */
    matters: z.array(pendingMatterViewSchema).nullable(),
    /** True when at least one matter is confirmed. */
    canContinue: z.boolean(),
  }),
  z.object({ step: z.literal("signature"), ...common, card: cardViewSchema }),
  z.object({ step: z.literal("saving"), ...common }),
  z.object({
    step: z.literal("result"),
    ...common,
    kind: z.enum(RESULT_KINDS),
    outcome: z.enum(Object.values(VERIFICATION_OUTCOMES) as [VerificationOutcome, ...VerificationOutcome[]]),
    /** The code to take to a staff window, shown in large digits; null when there is none. */
    referralCode: z.string().regex(REFERRAL_CODE_PATTERN).nullable(),
    cardRejections: z.array(z.enum(CARD_REJECTIONS)),
    /** The reason of each failed face attempt, in order. */
    attemptFailures: z.array(z.enum(ATTEMPT_FAILURES)),
  }),
  z.object({ step: z.literal("out-of-service"), ...common, faults: z.array(z.enum(SESSION_DEVICES)).min(1) }),
]);

/** The session as the UI renders it. */
export type SessionView = z.infer<typeof sessionViewSchema>;
