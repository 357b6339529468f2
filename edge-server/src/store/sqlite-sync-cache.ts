/** The sync-down cache over the kiosk's SQLite database. */
import type { Database } from "bun:sqlite";
import { KioskError, type Matter, type SyncPayload } from "@kiosk/contracts";
import type { BlocklistEntry, SyncCache, SyncState } from "../sync-down/sync-cache.ts";
import type { DataSealer } from "./data-sealer.ts";

const encoder = new TextEncoder();

/** AAD of a sealed matter: its id, so a matter's ciphertext cannot be moved to another row. */
function matterAad(matterId: string): Uint8Array {
  return encoder.encode(`shiming-kiosk/seal/matter/v1\n${matterId}`);
}

/**
 * Implements {@linkcode SyncCache}. Matters are stored sealed; card numbers
 * are stored only as keyed lookup tokens (`DataSealer.lookupToken`), so the
 * file holds no card number in any form that can be read without the key.
 */
export class SqliteSyncCache implements SyncCache {
  readonly #db: Database;
  readonly #sealer: DataSealer;

  constructor(db: Database, sealer: DataSealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  state(): SyncState {
    const row = this.#db
      .query<{ cursor: number; hall_id: string | null; last_complete_at_ms: number | null }, []>(
        "SELECT cursor, hall_id, last_complete_at_ms FROM sync_state WHERE singleton = 1",
      )
      .get();
    return { cursor: row?.cursor ?? 0, hallId: row?.hall_id ?? null, lastCompleteAtMs: row?.last_complete_at_ms ?? null };
  }

  async applyPage(payload: SyncPayload, atMs: number): Promise<void> {
    // Seal and tokenise first: Web Crypto is asynchronous, the transaction is not.
    const upserts: Array<{ matter: Matter; sealed: Uint8Array; tokens: string[] }> = [];
    const deletes: string[] = [];
    for (const matter of payload.matters) {
      if (matter.status !== "open" || matter.hallId !== payload.hallId) {
        deletes.push(matter.matterId);
        continue;
      }
      const sealed = await this.#sealer.seal(encoder.encode(JSON.stringify(matter)), matterAad(matter.matterId));
      const tokens = [...new Set(await Promise.all(matter.persons.map((p) => this.#token(p.idNumber))))];
      upserts.push({ matter, sealed, tokens });
    }
    const blocklist = await Promise.all(payload.blocklist.map(async (c) => ({ change: c, token: await this.#token(c.cardNumber) })));

    const db = this.#db;
    const write = db.transaction(() => {
      if (this.state().cursor !== payload.fromCursor) {
        throw new KioskError("store-failed", `Sync page starts at cursor ${payload.fromCursor} but the cache is at ${this.state().cursor}`);
      }
      const removeMatter = db.query("DELETE FROM matters WHERE matter_id = ?");
      for (const id of deletes) removeMatter.run(id);
      const upsert = db.query(
        "INSERT INTO matters (matter_id, sealed, updated_at) VALUES (?, ?, ?) ON CONFLICT (matter_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at",
      );
      const clearPersons = db.query("DELETE FROM matter_persons WHERE matter_id = ?");
      const addPerson = db.query("INSERT OR IGNORE INTO matter_persons (matter_id, card_token) VALUES (?, ?)");
      for (const { matter, sealed, tokens } of upserts) {
        upsert.run(matter.matterId, sealed, matter.updatedAt);
        clearPersons.run(matter.matterId);
        for (const token of tokens) addPerson.run(matter.matterId, token);
      }
      const list = db.query("INSERT INTO blocklist (card_token, reason) VALUES (?, ?) ON CONFLICT (card_token) DO UPDATE SET reason = excluded.reason");
      const delist = db.query("DELETE FROM blocklist WHERE card_token = ?");
      for (const { change, token } of blocklist) {
        if (change.listed) list.run(token, change.reason ?? null);
        else delist.run(token);
      }
      db.query(
        `UPDATE sync_state SET cursor = ?, hall_id = ?, last_page_at_ms = ?,
           last_complete_at_ms = CASE WHEN ? THEN ? ELSE last_complete_at_ms END WHERE singleton = 1`,
      ).run(payload.toCursor, payload.hallId, atMs, payload.complete ? 1 : 0, atMs);
    });
    try {
      write.immediate();
    } catch (cause) {
      if (cause instanceof KioskError) throw cause;
      throw new KioskError("store-failed", `Cannot apply a sync page: ${(cause as Error).message}`, { cause });
    }
  }

  reset(): void {
    const db = this.#db;
    db.transaction(() => {
      db.run("DELETE FROM matters");
      db.run("DELETE FROM blocklist");
      db.run("UPDATE sync_state SET cursor = 0, hall_id = NULL, last_complete_at_ms = NULL, last_page_at_ms = NULL WHERE singleton = 1");
    }).immediate();
  }

  async pendingMatters(cardNumber: string): Promise<Matter[]> {
    const rows = this.#db
      .query<{ matter_id: string; sealed: Uint8Array }, [string]>(
        `SELECT m.matter_id, m.sealed FROM matter_persons p JOIN matters m ON m.matter_id = p.matter_id
         WHERE p.card_token = ? ORDER BY m.matter_id`,
      )
      .all(await this.#token(cardNumber));
    const matters: Matter[] = [];
    for (const row of rows) {
      const plain = await this.#sealer.open(row.sealed, matterAad(row.matter_id));
      matters.push(JSON.parse(new TextDecoder().decode(plain)) as Matter);
    }
    return matters;
  }

  async blocklistEntry(cardNumber: string): Promise<BlocklistEntry> {
    const row = this.#db
      .query<{ reason: BlocklistEntry["reason"] }, [string]>("SELECT reason FROM blocklist WHERE card_token = ?")
      .get(await this.#token(cardNumber));
    return row ? { listed: true, reason: row.reason } : { listed: false, reason: null };
  }

  counts(): { openMatters: number; blocklisted: number } {
    const n = (sql: string): number => this.#db.query<{ n: number }, []>(sql).get()?.n ?? 0;
    return { openMatters: n("SELECT count(*) AS n FROM matters"), blocklisted: n("SELECT count(*) AS n FROM blocklist") };
  }

  // Card numbers are printed in capitals (cardNumberSchema); normalise what a reader or person typed.
  #token(cardNumber: string): Promise<string> {
    return this.#sealer.lookupToken(`card:${cardNumber.trim().toUpperCase()}`);
  }
}
