/**
 * The card's rejections as the session machine takes them (`card-read`'s
 * `rejections`): the reader-side checks (`checkCard` of `@kiosk/device`,
 * whose problem types are rejection codes already), the chip photo's
 * decoding and the blocklist from the sync-down cache. Pure.
 */
import type { BLOCKLIST_REASONS, CardRejection } from "@kiosk/contracts";

/** Why a card is on the blocklist. */
export type BlocklistReason = (typeof BLOCKLIST_REASONS)[number];

/** The rejection of each blocklist reason. */
export const BLOCKLIST_REJECTIONS = {
  lost: "reported-lost",
  stolen: "reported-stolen",
  invalidated: "card-invalidated",
} as const satisfies Record<BlocklistReason, CardRejection>;

/** What is known of a card once it was read. */
export interface CardCheckResults {
  /** `checkCard`'s problems (only their `type` is read). */
  readonly problems: readonly { readonly type: CardRejection }[];
  /** The card's blocklist entry (the sync-down cache's `BlocklistEntry`). */
  readonly blocklist: { readonly listed: boolean; readonly reason: BlocklistReason | null };
  /** False when the chip photo could not be decoded. */
  readonly photoDecoded: boolean;
}

/**
 * Every reason to refuse the card, each once, in a stable order: the card's
 * own problems, then the photo, then the blocklist. A listed card without a
 * reason counts as `card-invalidated`.
 *
 * @example
 * ```ts
 * const rejections = cardRejections({ problems: checkCard(card, options), blocklist: await cache.blocklistEntry(card.idNumber), photoDecoded });
 * machine.step(state, { type: "card-read", card: sessionCard, rejections }, clock.now());
 * ```
 */
export function cardRejections(results: CardCheckResults): CardRejection[] {
  const found = new Set<CardRejection>(results.problems.map((p) => p.type));
  if (!results.photoDecoded) found.add("photo-undecodable");
  if (results.blocklist.listed) found.add(BLOCKLIST_REJECTIONS[results.blocklist.reason ?? "invalidated"]);
  return [...found];
}
