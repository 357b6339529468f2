/**
 * The applicant's pending matters, as the session machine takes them
 * (`matters-loaded`): the open matters of this hall from the last 7 days
 * that list the applicant's card number, each with every role the applicant
 * has on it. Pure: the sync-down cache supplies the matters, the time is
 * passed in.
 */
import type { Matter } from "@kiosk/contracts";
import type { PendingMatter } from "./verification-session-types.ts";

/** How far back a matter counts as pending: 7 days from its last change. */
export const PENDING_MATTER_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The matters of `matters` pending for `cardNumber` at `nowMs`: open, of
 * `hallId`, changed within `maxAgeMs` (a change dated in the future counts as
 * recent: central's clock is not the kiosk's), listing the card number.
 * Newest first; roles in the order the matter lists them, each once.
 */
export function pendingMatters(matters: readonly Matter[], query: { readonly cardNumber: string; readonly hallId: string; readonly nowMs: number; readonly maxAgeMs?: number }): PendingMatter[] {
  const oldestMs = query.nowMs - (query.maxAgeMs ?? PENDING_MATTER_MAX_AGE_MS);
  return matters
    .filter((m) => m.status === "open" && m.hallId === query.hallId && Date.parse(m.updatedAt) >= oldestMs)
    .map((m) => ({ matter: m, roles: [...new Set(m.persons.filter((p) => p.idNumber === query.cardNumber).map((p) => p.role))] }))
    .filter(({ roles }) => roles.length > 0)
    .sort((a, b) => Date.parse(b.matter.updatedAt) - Date.parse(a.matter.updatedAt))
    .map(({ matter, roles }) => ({ matterId: matter.matterId, companyName: matter.companyName, kind: matter.kind, roles }));
}
