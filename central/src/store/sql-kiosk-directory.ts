import { hallIdSchema, KioskError, keyIdOf, keyIdSchema, kioskIdSchema } from "@kiosk/contracts";
import type { z } from "zod";
import type { KioskDirectory, KioskKey, KioskKeyRegistered, KioskKeyRegistration } from "../ports.ts";
import type { Database } from "./database.ts";

interface KeyRow {
  key_id: string;
  kiosk_id: string;
  hall_id: string;
  public_key: string;
  registered_at_ms: number | string;
  revoked_at_ms: number | string | null;
}

const ED25519_PUBLIC_KEY_BYTES = 32;

/** {@linkcode KioskDirectory} over the `kiosks` and `kiosk_keys` tables. */
export class SqlKioskDirectory implements KioskDirectory {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async findKey(keyId: string): Promise<KioskKey | undefined> {
    const rows: KeyRow[] = await this.#db.sql`
      select k.key_id, k.kiosk_id, s.hall_id, k.public_key, k.registered_at_ms, k.revoked_at_ms
      from kiosk_keys k join kiosks s on s.kiosk_id = k.kiosk_id
      where k.key_id = ${keyId}`;
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  async findKeys(keyIds: readonly string[]): Promise<Map<string, KioskKey>> {
    const unique = [...new Set(keyIds)];
    if (unique.length === 0) return new Map();
    const rows: KeyRow[] = await this.#db.sql`
      select k.key_id, k.kiosk_id, s.hall_id, k.public_key, k.registered_at_ms, k.revoked_at_ms
      from kiosk_keys k join kiosks s on s.kiosk_id = k.kiosk_id
      where k.key_id in ${this.#db.sql(unique)}`;
    return new Map(rows.map((row) => [row.key_id, toKey(row)]));
  }

  async hallOf(kioskId: string): Promise<string | undefined> {
    const rows: Array<{ hall_id: string }> = await this.#db.sql`select hall_id from kiosks where kiosk_id = ${kioskId}`;
    return rows[0]?.hall_id;
  }

  async register(registration: KioskKeyRegistration, nowMs: number): Promise<KioskKeyRegistered> {
    const kioskId = parseOrThrow(kioskIdSchema, registration.kioskId, "kiosk id");
    const hallId = parseOrThrow(hallIdSchema, registration.hallId, "hall id");
    if (registration.publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
      throw new KioskError("bad-request", `Invalid public key: expected ${ED25519_PUBLIC_KEY_BYTES} bytes of raw Ed25519 key, got ${registration.publicKey.length}`);
    }
    const keyId = parseOrThrow(keyIdSchema, registration.keyId ?? (await keyIdOf(registration.publicKey)), "key id");
    const publicKey = Buffer.from(registration.publicKey).toString("base64");
    return this.#db.sql.begin(async (tx) => {
      const clashes: Array<{ key_id: string; kiosk_id: string; public_key: string; revoked_at_ms: number | string | null }> = await tx`
        select key_id, kiosk_id, public_key, revoked_at_ms from kiosk_keys where key_id = ${keyId} or public_key = ${publicKey}`;
      let created = true;
      for (const clash of clashes) {
        if (clash.key_id !== keyId || clash.public_key !== publicKey) {
          throw new KioskError("bad-request", `Cannot register key "${keyId}": its id or public key is already registered as key "${clash.key_id}"`);
        }
        if (clash.kiosk_id !== kioskId) {
          throw new KioskError("bad-request", `Cannot register key "${keyId}" for kiosk "${kioskId}": it belongs to kiosk "${clash.kiosk_id}"`);
        }
        if (clash.revoked_at_ms !== null) {
          throw new KioskError("bad-request", `Cannot register key "${keyId}": it was revoked; generate a new key`);
        }
        created = false;
      }
      const kiosks: Array<{ hall_id: string }> = await tx`select hall_id from kiosks where kiosk_id = ${kioskId}`;
      const hallChanged = kiosks[0] !== undefined && kiosks[0].hall_id !== hallId;
      if (kiosks[0] === undefined) {
        await tx`insert into kiosks (kiosk_id, hall_id, registered_at_ms, updated_at_ms) values (${kioskId}, ${hallId}, ${nowMs}, ${nowMs})`;
      } else if (hallChanged) {
        await tx`update kiosks set hall_id = ${hallId}, updated_at_ms = ${nowMs} where kiosk_id = ${kioskId}`;
      }
      if (created) {
        await tx`insert into kiosk_keys (key_id, kiosk_id, public_key, registered_at_ms, revoked_at_ms)
                 values (${keyId}, ${kioskId}, ${publicKey}, ${nowMs}, ${null})`;
      }
      const rows: KeyRow[] = await tx`
        select k.key_id, k.kiosk_id, s.hall_id, k.public_key, k.registered_at_ms, k.revoked_at_ms
        from kiosk_keys k join kiosks s on s.kiosk_id = k.kiosk_id where k.key_id = ${keyId}`;
      return { key: toKey(rows[0] as KeyRow), created, hallChanged };
    });
  }

  async revoke(keyId: string, nowMs: number): Promise<boolean> {
    const rows = await this.#db.sql`
      update kiosk_keys set revoked_at_ms = coalesce(revoked_at_ms, ${nowMs}) where key_id = ${keyId} returning key_id`;
    return rows.length > 0;
  }
}

function parseOrThrow(schema: z.ZodType<string>, value: string, what: string): string {
  const result = schema.safeParse(value);
  if (!result.success) throw new KioskError("bad-request", `Invalid ${what} "${value.slice(0, 80)}": ${result.error.issues[0]?.message ?? "malformed"}`);
  return result.data;
}

function toKey(row: KeyRow): KioskKey {
  const key: KioskKey = {
    keyId: row.key_id,
    kioskId: row.kiosk_id,
    hallId: row.hall_id,
    publicKey: new Uint8Array(Buffer.from(row.public_key, "base64")),
    registeredAtMs: Number(row.registered_at_ms),
  };
  return row.revoked_at_ms === null ? key : { ...key, revokedAtMs: Number(row.revoked_at_ms) };
}
