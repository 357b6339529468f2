import {
  blocklistChangeSchema,
  matterInputSchema,
  type BlocklistChange,
  type Matter,
  type MatterInput,
} from "@kiosk/contracts";
import type { SQL } from "bun";
import type { Database } from "./database.ts";

/** Outcome of a write: whether anything changed, and the change number it got. */
export interface ChangeOutcome {
  /** False when the write repeated the current state (no change is logged). */
  readonly changed: boolean;
  /** The change that last touched the item (the new one when `changed`). */
  readonly changeId: number;
}

/** Outcome of {@linkcode MatterStore.putMatter}. */
export interface MatterWritten extends ChangeOutcome {
  readonly matter: Matter;
  /** True when the matter did not exist before. */
  readonly created: boolean;
}

/** The changes a hall's kiosk pulls after its cursor. */
export interface ChangePage {
  /** Current state of each matter of the hall changed in the page (or moved out of the hall). */
  readonly matters: Matter[];
  /** Current state of each card whose listing changed in the page. */
  readonly blocklist: BlocklistChange[];
  /** The last change number in the page, or the cursor when there is none. */
  readonly toCursor: number;
  /** False when more changes follow. */
  readonly complete: boolean;
}

interface MatterRow {
  matter_id: string;
  data: string;
  updated_at_ms: number | string;
  change_id: number | string;
}

interface CardRow {
  card_number: string;
  listed: number | string;
  reason: string | null;
  change_id: number | string;
}

/**
 * Matters and the card blocklist, with the one change log kiosks pull.
 * Every write that changes something appends to `change_log` in the same
 * transaction, after taking the writer lock (see migration 0004), so change
 * numbers become visible in order.
 */
export class MatterStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Creates or replaces a matter; writing the current state again logs no
   * change, unless that state is older than `restampOlderThanMs`: then it is
   * written again as a new change dated `nowMs` (a demo keeps its matters
   * recent this way).
   */
  async putMatter(input: MatterInput, nowMs: number, options: { readonly restampOlderThanMs?: number } = {}): Promise<MatterWritten> {
    const data = JSON.stringify(matterInputSchema.parse(input));
    return this.#db.sql.begin(async (tx) => {
      await lockWriters(tx, nowMs);
      const [old] = (await tx`select matter_id, hall_id, data, updated_at_ms, change_id from matters where matter_id = ${input.matterId}`) as Array<
        MatterRow & { hall_id: string }
      >;
      const restamp = options.restampOlderThanMs !== undefined && old !== undefined && nowMs - Number(old.updated_at_ms) > options.restampOlderThanMs;
      if (old && old.data === data && !restamp) return { matter: toMatter(old), changed: false, changeId: Number(old.change_id), created: false };
      const prevHall = old && old.hall_id !== input.hallId ? old.hall_id : null;
      const changeId = await logChange(tx, "matter", input.matterId, input.hallId, prevHall, nowMs);
      await tx`
        insert into matters (matter_id, hall_id, status, data, updated_at_ms, change_id)
        values (${input.matterId}, ${input.hallId}, ${input.status}, ${data}, ${nowMs}, ${changeId})
        on conflict (matter_id) do update set
          hall_id = excluded.hall_id, status = excluded.status, data = excluded.data,
          updated_at_ms = excluded.updated_at_ms, change_id = excluded.change_id`;
      const matter = toMatter({ matter_id: input.matterId, data, updated_at_ms: nowMs, change_id: changeId });
      return { matter, changed: true, changeId, created: old === undefined };
    });
  }

  /** The matter with this id, or `undefined`. */
  async getMatter(matterId: string): Promise<Matter | undefined> {
    const rows: MatterRow[] = await this.#db.sql`select matter_id, data, updated_at_ms, change_id from matters where matter_id = ${matterId}`;
    return rows[0] ? toMatter(rows[0]) : undefined;
  }

  /** Lists a card (or changes its reason); listing it again with the same reason logs no change. */
  async listCard(cardNumber: string, reason: NonNullable<BlocklistChange["reason"]>, nowMs: number): Promise<ChangeOutcome> {
    // Listing always yields an outcome; only delisting an unknown card has none.
    return (await this.#setCard(cardNumber, true, reason, nowMs))!;
  }

  /**
   * Delists a card. Returns `undefined` when the card was never listed;
   * delisting a delisted card logs no change.
   */
  async delistCard(cardNumber: string, nowMs: number): Promise<ChangeOutcome | undefined> {
    return this.#setCard(cardNumber, false, null, nowMs);
  }

  async #setCard(cardNumber: string, listed: boolean, reason: string | null, nowMs: number): Promise<ChangeOutcome | undefined> {
    return this.#db.sql.begin(async (tx) => {
      await lockWriters(tx, nowMs);
      const [old] = (await tx`select card_number, listed, reason, change_id from blocklist where card_number = ${cardNumber}`) as CardRow[];
      if (!old && !listed) return undefined;
      if (old && Boolean(Number(old.listed)) === listed && old.reason === reason) return { changed: false, changeId: Number(old.change_id) };
      const changeId = await logChange(tx, "blocklist", cardNumber, null, null, nowMs);
      await tx`
        insert into blocklist (card_number, listed, reason, updated_at_ms, change_id)
        values (${cardNumber}, ${listed ? 1 : 0}, ${reason}, ${nowMs}, ${changeId})
        on conflict (card_number) do update set
          listed = excluded.listed, reason = excluded.reason, updated_at_ms = excluded.updated_at_ms, change_id = excluded.change_id`;
      return { changed: true, changeId };
    });
  }

  /**
   * The changes after `cursor` that concern `hallId` (its matters, and every
   * blocklist change), at most `limit` change numbers, as current states.
   */
  async changesAfter(hallId: string, cursor: number, limit: number): Promise<ChangePage> {
    const sql = this.#db.sql;
    const changes: Array<{ change_id: number | string; kind: "matter" | "blocklist"; ref: string }> = await sql`
      select change_id, kind, ref from change_log
      where change_id > ${cursor} and (kind = 'blocklist' or hall_id = ${hallId} or prev_hall_id = ${hallId})
      order by change_id limit ${limit + 1}`;
    const complete = changes.length <= limit;
    const page = changes.slice(0, limit);
    const matterIds = [...new Set(page.filter((c) => c.kind === "matter").map((c) => c.ref))];
    const cards = [...new Set(page.filter((c) => c.kind === "blocklist").map((c) => c.ref))];
    const matterRows: MatterRow[] =
      matterIds.length === 0 ? [] : await sql`select matter_id, data, updated_at_ms, change_id from matters where matter_id in ${sql(matterIds)}`;
    const cardRows: CardRow[] =
      cards.length === 0 ? [] : await sql`select card_number, listed, reason, change_id from blocklist where card_number in ${sql(cards)}`;
    const matterById = new Map(matterRows.map((row) => [row.matter_id, toMatter(row)]));
    const cardByNumber = new Map(cardRows.map((row) => [row.card_number, toCard(row)]));
    return {
      matters: matterIds.flatMap((id) => matterById.get(id) ?? []),
      blocklist: cards.flatMap((card) => cardByNumber.get(card) ?? []),
      toCursor: page.length > 0 ? Number(page[page.length - 1]!.change_id) : cursor,
      complete,
    };
  }
}

// Serialises writers until commit (see migration 0004).
async function lockWriters(tx: SQL, nowMs: number): Promise<void> {
  await tx`update change_log_writer set last_write_ms = ${nowMs} where id = 1`;
}

async function logChange(tx: SQL, kind: "matter" | "blocklist", ref: string, hallId: string | null, prevHallId: string | null, nowMs: number): Promise<number> {
  const [row] = (await tx`
    insert into change_log (kind, ref, hall_id, prev_hall_id, changed_at_ms)
    values (${kind}, ${ref}, ${hallId}, ${prevHallId}, ${nowMs}) returning change_id`) as Array<{ change_id: number | string }>;
  return Number(row!.change_id);
}

function toMatter(row: MatterRow): Matter {
  return { ...(JSON.parse(row.data) as MatterInput), updatedAt: new Date(Number(row.updated_at_ms)).toISOString() };
}

function toCard(row: CardRow): BlocklistChange {
  const listed = Boolean(Number(row.listed));
  return blocklistChangeSchema.parse(listed && row.reason ? { cardNumber: row.card_number, listed, reason: row.reason } : { cardNumber: row.card_number, listed });
}
