/**
 * Sync-down from central to kiosks: the registration matters (登记事项) open
 * in a kiosk's hall and the card blocklist, so the journey works offline.
 *
 * - The registration system writes matters to central with an API token.
 * - Each change on central gets the next number of one change log; a kiosk
 *   pulls the changes after its cursor (`GET /api/v1/kiosks/{kioskId}/sync`),
 *   signing the request like a batch, and central signs the exact payload
 *   bytes it returns. The kiosk applies a page only after verifying it.
 */
import { z } from "zod";
import { parseGb11643Id, parseSocialCreditCode } from "./id-numbers/index.ts";
import { keyIdSchema } from "./upstream.ts";
import { kioskIdSchema } from "./kiosk-status.ts";

/** Kinds of registration matter. */
export const MATTER_KINDS = ["establishment", "change", "deregistration"] as const;
/** Roles a natural person can have on a matter. */
export const PERSON_ROLES = ["legal-representative", "shareholder", "director", "supervisor", "manager", "liaison", "agent"] as const;
/** Life of a matter: only open matters are shown at kiosks. */
export const MATTER_STATUSES = ["open", "closed", "cancelled"] as const;

/** Hall identifiers: lower-case letters, digits and dashes. */
export const hallIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, "expected 2-64 lower-case letters, digits or dashes");

/** A card number as printed on the card: resident ID, permit or foreign-card number. */
export const cardNumberSchema = z.string().regex(/^[0-9A-Z]{8,18}$/, "expected 8-18 digits or capital letters");

export const matterPersonSchema = z.object({
  /** The person's card number; resident ID numbers must pass the GB 11643 check. */
  idNumber: cardNumberSchema.refine((v) => !/^\d{17}[\dX]$/.test(v) || v.startsWith("9") || parseGb11643Id(v).ok, {
    message: "resident ID number fails the GB 11643 check",
  }),
  name: z.string().min(1).max(64),
  role: z.enum(PERSON_ROLES),
});

/** A natural person on a matter. */
export type MatterPerson = z.infer<typeof matterPersonSchema>;

/** A matter as the registration system writes it to central. */
export const matterInputSchema = z.object({
  matterId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "expected 1-64 letters, digits or dashes"),
  kind: z.enum(MATTER_KINDS),
  companyName: z.string().min(1).max(200),
  /** Unified social credit code (GB 32100), when the company has one yet. */
  creditCode: z
    .string()
    .refine((v) => parseSocialCreditCode(v).ok, { message: "fails the GB 32100 check" })
    .optional(),
  hallId: hallIdSchema,
  status: z.enum(MATTER_STATUSES),
  persons: z.array(matterPersonSchema).min(1).max(100),
});

/** A matter as written by the registration system. */
export type MatterInput = z.infer<typeof matterInputSchema>;

/** A matter as central serves it, with the change that last touched it. */
export const matterSchema = matterInputSchema.extend({
  /** Central clock of the last change (ISO 8601). */
  updatedAt: z.iso.datetime(),
});

/** A matter as served to kiosks. */
export type Matter = z.infer<typeof matterSchema>;

/** Why a card is on the blocklist. */
export const BLOCKLIST_REASONS = ["lost", "stolen", "invalidated"] as const;

/** One blocklist change: a card listed (with its reason) or delisted. */
export const blocklistChangeSchema = z.object({
  cardNumber: cardNumberSchema,
  listed: z.boolean(),
  reason: z.enum(BLOCKLIST_REASONS).optional(),
});

/** One blocklist change. */
export type BlocklistChange = z.infer<typeof blocklistChangeSchema>;

/** Most changes in one sync page. */
export const MAX_SYNC_PAGE_CHANGES = 1000;

/** The signed content of one sync page. */
export const syncPayloadSchema = z.object({
  kioskId: kioskIdSchema,
  hallId: hallIdSchema,
  /** The cursor the kiosk sent (0 for a first pull). */
  fromCursor: z.number().int().nonnegative(),
  /** The cursor to send next time; equal to `fromCursor` when nothing changed. */
  toCursor: z.number().int().nonnegative(),
  /** True when this page holds every change up to now. */
  complete: z.boolean(),
  /** Current state of every matter of the hall that changed (closed and cancelled ones tell the kiosk to drop them). */
  matters: z.array(matterSchema),
  blocklist: z.array(blocklistChangeSchema),
  /** Central clock when the page was made (ISO 8601). */
  generatedAt: z.iso.datetime(),
});

/** The signed content of one sync page. */
export type SyncPayload = z.infer<typeof syncPayloadSchema>;

/** Central's reply to a sync pull: the payload as JSON text, exactly as signed. */
export const syncResponseSchema = z.object({
  payload: z.string(),
  keyId: keyIdSchema,
  /** Ed25519 signature over {@linkcode syncSigningInput}, base64url. */
  signature: z.string().regex(/^[A-Za-z0-9_-]+$/),
});

/** Central's reply to a sync pull. */
export type SyncResponse = z.infer<typeof syncResponseSchema>;

/** Central's route for a kiosk's sync pulls; the cursor goes in the `cursor` query parameter. */
export function syncPath(kioskId: string): string {
  return `/api/v1/kiosks/${kioskId}/sync`;
}

/** Central's route for the registration system's matter writes (`PUT …/{matterId}`). */
export const MATTERS_PATH = "/api/v1/matters";
/** Central's route for blocklist writes (`PUT …/{cardNumber}`, `DELETE …/{cardNumber}`). */
export const BLOCKLIST_PATH = "/api/v1/blocklist";

/** The bytes central signs for a sync page: a domain line and the payload text. */
export function syncSigningInput(keyId: string, payload: string): Uint8Array {
  return new TextEncoder().encode(`shiming-kiosk/sync/v1\n${keyId}\n${payload}`);
}
