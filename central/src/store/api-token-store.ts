import { KioskError } from "@kiosk/contracts";
import { randomBytes } from "node:crypto";
import { sha256HexSync } from "../ingest/sha256-hex-sync.ts";
import type { Database } from "./database.ts";

/** Prefix of central API tokens, so a leaked one is recognisable in logs and scanners. */
export const API_TOKEN_PREFIX = "skc_";

/** A token as created: the secret is shown once and never stored. */
export interface CreatedApiToken {
  readonly name: string;
  /** The bearer token; central keeps only its SHA-256. */
  readonly token: string;
}

/**
 * API tokens of the registration system: bearer tokens stored only as their
 * SHA-256, so a copy of the database holds no usable credential.
 */
export class ApiTokenStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Creates a token named `name` (a label for people, such as "registration-system").
   * @throws {KioskError} `bad-request` for an empty or over-long name.
   */
  async create(name: string, nowMs: number): Promise<CreatedApiToken> {
    if (!/^[\w.:-]{1,64}$/.test(name)) throw new KioskError("bad-request", `Invalid token name "${name.slice(0, 80)}": expected 1-64 letters, digits or ._:-`);
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    await this.#db.sql`insert into api_tokens (token_sha256, name, created_at_ms, revoked_at_ms) values (${sha256HexSync(token)}, ${name}, ${nowMs}, ${null})`;
    return { name, token };
  }

  /** The name of the live token `token`, or `undefined` when it is unknown or revoked. */
  async verify(token: string): Promise<string | undefined> {
    const rows: Array<{ name: string }> = await this.#db.sql`
      select name from api_tokens where token_sha256 = ${sha256HexSync(token)} and revoked_at_ms is null`;
    return rows[0]?.name;
  }

  /** Revokes every live token named `name`; returns how many. */
  async revoke(name: string, nowMs: number): Promise<number> {
    const rows = await this.#db.sql`update api_tokens set revoked_at_ms = ${nowMs} where name = ${name} and revoked_at_ms is null returning name`;
    return rows.length;
  }
}
