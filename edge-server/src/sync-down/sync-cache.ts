/**
 * The storage the sync-down client needs, as a port: the Bun SQLite store
 * implements it (`store/sqlite-sync-cache.ts`), keeping matters sealed and
 * card numbers only as keyed tokens.
 */
import type { BlocklistChange, Matter, SyncPayload } from "@kiosk/contracts";

/** Where the cache stands. */
export interface SyncState {
  /** The cursor to send on the next pull. */
  readonly cursor: number;
  /** The hall the cached matters belong to, or null before the first page. */
  readonly hallId: string | null;
  /** Kiosk clock at the last page marked `complete`, or null before the first. */
  readonly lastCompleteAtMs: number | null;
}

/** Whether a card is on the blocklist. */
export interface BlocklistEntry {
  readonly listed: boolean;
  /** Why it is listed; null when not listed or no reason was given. */
  readonly reason: NonNullable<BlocklistChange["reason"]> | null;
}

/** The kiosk's offline copy of its hall's open matters and the blocklist. */
export interface SyncCache {
  state(): SyncState;
  /**
   * Applies one verified page in one transaction and moves the cursor to its
   * `toCursor`: open matters of the page's hall are stored, others dropped;
   * blocklist changes are applied in order.
   * @throws {KioskError} `store-failed` when the cursor moved meanwhile.
   */
  applyPage(payload: SyncPayload, atMs: number): Promise<void>;
  /** Forgets every matter and blocklist entry and sets the cursor back to 0 (the kiosk moved to another hall). */
  reset(): void;
  /** Open matters naming `cardNumber` as a person. */
  pendingMatters(cardNumber: string): Promise<Matter[]>;
  blocklistEntry(cardNumber: string): Promise<BlocklistEntry>;
  counts(): { readonly openMatters: number; readonly blocklisted: number };
}
