import { z } from "zod";

/** Overall state of a kiosk. */
export const KIOSK_STATUSES = {
  /** Every device works; applicants can be served. */
  ok: "ok",
  /** Serving applicants, with a problem a technician should look at. */
  degraded: "degraded",
  /** Cannot serve applicants; the UI shows the out-of-service screen. */
  outOfService: "out-of-service",
} as const;

/** One of {@linkcode KIOSK_STATUSES}. */
export type KioskStatus = (typeof KIOSK_STATUSES)[keyof typeof KIOSK_STATUSES];

export const kioskStatusSchema = z.enum(Object.values(KIOSK_STATUSES) as [KioskStatus, ...KioskStatus[]]);

/** Kiosk ids: lower-case letters, digits and dashes, 3 to 64 characters. */
export const kioskIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, "expected 3-64 lower-case letters, digits or dashes");
