import type { SeenNonces } from "../ports.ts";
import type { Database } from "./database.ts";

/** How often expired nonces are deleted, at most, in milliseconds. */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * {@linkcode SeenNonces} over the `request_nonces` table (migration 0005).
 * The claim is one insert that the primary key (key id, nonce) lets through
 * once, whichever central process makes it. Rows past their expiry are
 * deleted at most once a minute per process, by the process that claims.
 */
export class SqlSeenNonces implements SeenNonces {
  readonly #db: Database;
  #prunedAtMs = Number.NEGATIVE_INFINITY;

  constructor(db: Database) {
    this.#db = db;
  }

  async claim(keyId: string, nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (nowMs - this.#prunedAtMs >= PRUNE_INTERVAL_MS) {
      this.#prunedAtMs = nowMs;
      await this.#db.sql`delete from request_nonces where expires_at_ms < ${nowMs}`;
    }
    const rows: unknown[] = await this.#db.sql`
      insert into request_nonces (key_id, nonce, expires_at_ms) values (${keyId}, ${nonce}, ${expiresAtMs})
      on conflict (key_id, nonce) do nothing
      returning key_id`;
    return rows.length === 1;
  }
}
