/**
 * The kiosk's durable record store: every verification result is signed,
 * hash-chained, sealed and committed (fsync'd) together with its outbox row
 * before the caller is told it is saved. How a record is built, signed and
 * chained, and how a chain is re-checked, is pure logic in
 * `domain/record-chain.ts`; this file keeps the storage.
 */
import { SQLiteError, type Database } from "bun:sqlite";
import {
  GENESIS_HASH,
  importVerifyKey,
  KioskError,
  parseVerificationResult,
  VERIFICATION_RESULT_KIND,
  VERIFICATION_RESULT_SCHEMA_VERSION,
  type Clock,
  type Logger,
  type RecordHeader,
  type Signer,
  type VerificationResult,
  type VersionedVerificationResult,
} from "@kiosk/contracts";
import { chainProblems, recordBody, signNextRecord, type RecordBody } from "../domain/record-chain.ts";
import type { DataSealer } from "./data-sealer.ts";
import type { DiskBudget } from "./disk-budget.ts";
import { migrate } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import { bodyAad, headerOf, openBody, RECORD_COLUMNS, type RecordRow } from "./record-row.ts";

/** Dependencies of {@linkcode KioskStore}. */
export interface KioskStoreDeps {
  /** An open database from `openDatabase`. */
  readonly db: Database;
  /** This kiosk's id from config; a new database is created for it. */
  readonly kioskId: string;
  /** The kiosk's Ed25519 key; every record is signed with it when created. */
  readonly signer: Signer;
  readonly sealer: DataSealer;
  readonly disk: DiskBudget;
  readonly clock: Clock;
  readonly log: Logger;
  /** Random id (UUID) of this run of the edge server, recorded in each record. */
  readonly bootId: string;
}

/** The kiosk's identity row. */
export interface KioskIdentity {
  readonly kioskId: string;
  /** Current epoch; bumped by {@linkcode KioskStore.beginEpoch} when the kiosk is reprovisioned. */
  readonly epoch: number;
  /** The sequence number the next record of the epoch gets. */
  readonly nextSeq: number;
  /** Hash of the epoch's last record, or `GENESIS_HASH`. */
  readonly chainHead: string;
  readonly epochStartedAtMs: number;
}

/** A record to append. */
export interface NewRecord {
  /** Business id (UUID); saving the same id twice is idempotent. */
  readonly eventId: string;
  readonly kind: string;
  readonly schemaVersion: number;
  /** The body as JSON text. */
  readonly body: string;
}

/** What the store says once a record is durably saved. */
export interface SavedRecord {
  readonly kioskId: string;
  readonly epoch: number;
  readonly seq: number;
  readonly eventId: string;
  readonly recordHash: string;
  readonly savedAtMs: number;
  /** True when this event id was already saved with the same body, and nothing new was written. */
  readonly alreadySaved: boolean;
}

/** Delivery states of a record. */
export const OUTBOX_STATES = {
  /** Waiting for a verified central receipt. */
  pending: "pending",
  /** Acknowledged by a verified receipt. */
  acked: "acked",
  /** Refused by central; kept for investigation. */
  quarantined: "quarantined",
} as const;

/** One of {@linkcode OUTBOX_STATES}. */
export type OutboxState = (typeof OUTBOX_STATES)[keyof typeof OUTBOX_STATES];

/** A record as stored, with its body opened. */
export interface StoredRecord {
  readonly header: RecordHeader;
  readonly signature: string;
  readonly recordHash: string;
  /** The body text, or `null` once purged after retention. */
  readonly body: string | null;
  readonly state: OutboxState;
  readonly savedAtMs: number;
  readonly settledAtMs: number | null;
  readonly rejectReason: string | null;
}

/** The outcome of {@linkcode KioskStore.verifyChain}. */
export interface ChainReport {
  readonly kioskId: string;
  readonly epoch: number;
  readonly records: number;
  /** Empty when every hash, link and signature checks out. */
  readonly problems: readonly string[];
}

interface IdentityRow {
  kiosk_id: string;
  epoch: number;
  next_seq: number;
  chain_head: string;
  epoch_started_at_ms: number;
}

const DAY_MS = 86_400_000;

/** Largest number of rows purged in one transaction, to keep commits short. */
const PURGE_BATCH_ROWS = 500;

function toIdentity(row: IdentityRow): KioskIdentity {
  return { kioskId: row.kiosk_id, epoch: row.epoch, nextSeq: row.next_seq, chainHead: row.chain_head, epochStartedAtMs: row.epoch_started_at_ms };
}

/**
 * Turns a SQLite failure into a coded error once, here at the adapter.
 * A full disk is `store-full` so the kiosk fails closed with a clear reason.
 */
function storeError(cause: unknown, action: string): KioskError {
  if (cause instanceof KioskError) return cause;
  if (cause instanceof SQLiteError && cause.code === "SQLITE_FULL") {
    return new KioskError("store-full", `Cannot ${action}: the kiosk's disk is full`, { cause });
  }
  const code = cause instanceof SQLiteError ? cause.code : undefined;
  return new KioskError("store-failed", `Cannot ${action}: ${code ?? (cause as Error).message}`, { cause });
}

/** Milliseconds in `days` days. */
export function daysToMs(days: number): number {
  return days * DAY_MS;
}

/**
 * The kiosk's record store. Appends are serialised (one at a time), so the
 * sequence and the hash chain have no races; each append is one SQLite
 * transaction holding the record, its outbox row and the identity update.
 */
export class KioskStore {
  readonly #deps: KioskStoreDeps;
  readonly #listeners = new Set<() => void>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(deps: KioskStoreDeps) {
    this.#deps = deps;
  }

  /**
   * Migrates the database, creates the identity row (epoch 1) when the
   * database is new, and checks that the chain head matches the last record.
   *
   * @throws {KioskError} `config-invalid` when the database belongs to
   *   another kiosk id; `store-failed` when the chain head does not match
   *   (the file was altered or rolled back).
   */
  static async open(deps: KioskStoreDeps): Promise<KioskStore> {
    const { db, clock, log, kioskId } = deps;
    try {
      migrate(db, MIGRATIONS, log, clock.now());
    } catch (cause) {
      if (cause instanceof RangeError) throw new KioskError("store-failed", cause.message, { cause, retryable: false });
      throw storeError(cause, "migrate the kiosk database");
    }
    const store = new KioskStore(deps);
    let row = store.#identityRow();
    if (!row) {
      const now = clock.now();
      db.query(
        "INSERT INTO kiosk_identity (singleton, kiosk_id, epoch, next_seq, chain_head, epoch_started_at_ms, created_at_ms) VALUES (1, ?, 1, 1, ?, ?, ?)",
      ).run(kioskId, GENESIS_HASH, now, now);
      log.info("created the kiosk identity", { kioskId, epoch: 1 });
      row = store.#identityRow() as IdentityRow;
    }
    if (row.kiosk_id !== kioskId) {
      throw new KioskError(
        "config-invalid",
        `The kiosk database belongs to kiosk "${row.kiosk_id}" but the config says "${kioskId}": keep the database (it may hold unsent results) and reprovision the kiosk, which begins a new epoch`,
        { details: { databaseKioskId: row.kiosk_id, configKioskId: kioskId } },
      );
    }
    const last = db
      .query<{ seq: number; record_hash: string }, [string, number]>(
        "SELECT seq, record_hash FROM records WHERE kiosk_id = ? AND epoch = ? ORDER BY seq DESC LIMIT 1",
      )
      .get(row.kiosk_id, row.epoch);
    if ((last?.record_hash ?? GENESIS_HASH) !== row.chain_head || (last !== null && last.seq >= row.next_seq)) {
      throw new KioskError(
        "store-failed",
        `The kiosk database's chain head does not match its last record (epoch ${row.epoch}): the file was altered or restored from an old copy; keep it and call a technician`,
        { retryable: false },
      );
    }
    return store;
  }

  /** The identity row as it is now. */
  identity(): KioskIdentity {
    return toIdentity(this.#identityRow() as IdentityRow);
  }

  /**
   * Calls `listener` after each new record is committed (to wake the sender).
   * Returns a function that removes it.
   */
  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Saves a verification result of the current schema version
   * (`VERIFICATION_RESULT_SCHEMA_VERSION`): validates it, signs it, chains
   * it, seals its personal data and commits it with its outbox row. When
   * this resolves the result is on disk, and only then may the UI say
   * "saved". Saving the same session again returns the first save.
   *
   * @throws {KioskError} `bad-request` when the result does not match its
   *   schema or another result of the session is already saved; `store-full`
   *   when storage is above the hard watermark; `store-failed` on a database failure
   *   or when storage cannot be measured.
   */
  saveResult(result: VerificationResult): Promise<SavedRecord> {
    return this.saveVersionedResult({ schemaVersion: VERIFICATION_RESULT_SCHEMA_VERSION, body: result });
  }

  /**
   * Saves a verification result of any schema version central accepts, as
   * that version (see {@linkcode KioskStore.saveResult}).
   *
   * @throws {KioskError} as {@linkcode KioskStore.saveResult}.
   */
  async saveVersionedResult(result: VersionedVerificationResult): Promise<SavedRecord> {
    const parsed = parseVerificationResult(result.schemaVersion, result.body);
    if (!parsed.ok) {
      // Only paths and codes: the values are personal data.
      if (parsed.unknownVersion) throw new KioskError("bad-request", `Unknown verification result schema version ${result.schemaVersion}`);
      const where = parsed.issues.map((i) => `${i.path || "result"} (${i.code})`).join(", ");
      throw new KioskError("bad-request", `Invalid verification result v${result.schemaVersion}: ${where}`);
    }
    const { schemaVersion, body } = parsed.result;
    const kioskId = this.identity().kioskId;
    if (body.kioskId !== kioskId) {
      throw new KioskError("bad-request", `Verification result names kiosk "${body.kioskId}", this is "${kioskId}"`);
    }
    return this.appendRecord({ eventId: body.sessionId, kind: VERIFICATION_RESULT_KIND, schemaVersion, body: JSON.stringify(body) });
  }

  /**
   * Appends a record of any kind (see {@linkcode KioskStore.saveResult}).
   *
   * @throws {RangeError} when the body is larger than `MAX_RECORD_BODY_BYTES`.
   * @throws {KioskError} as {@linkcode KioskStore.saveResult}.
   */
  async appendRecord(input: NewRecord): Promise<SavedRecord> {
    const body = await recordBody(input.body);
    const disk = this.#deps.disk.check();
    if (!disk.acceptingResults) throw new KioskError(disk.fault ? "store-failed" : "store-full", disk.reason ?? "Local storage is full");

    const saved = await this.#exclusive(async () => {
      const existing = this.#findByEventId(input.eventId);
      if (existing) {
        if (existing.body_sha256 !== body.sha256) {
          throw new KioskError("bad-request", `A different record with event id "${input.eventId}" is already saved`);
        }
        return { ...this.#savedOf(existing), alreadySaved: true };
      }
      return this.#append(input, body);
    });
    if (!saved.alreadySaved) {
      for (const listener of this.#listeners) {
        try {
          listener();
        } catch (error) {
          this.#deps.log.error("append listener failed", { error });
        }
      }
    }
    return saved;
  }

  async #append(input: NewRecord, body: RecordBody): Promise<SavedRecord> {
    const { db, signer, sealer, clock } = this.#deps;
    const identity = this.identity();
    const now = clock.now();
    const fields = { eventId: input.eventId, kind: input.kind, schemaVersion: input.schemaVersion, createdAtMs: now, bootId: this.#deps.bootId };
    const { header, signature, recordHash, wireBytes } = await signNextRecord(identity, fields, body, signer);
    const sealed = await sealer.seal(body.bytes, bodyAad(header.kioskId, header.epoch, header.seq, recordHash));

    const write = db.transaction(() => {
      // The identity is re-read inside the write lock: another connection
      // (a second process by mistake) must not interleave seq or chain.
      const latest = this.#identityRow() as IdentityRow;
      if (latest.epoch !== identity.epoch || latest.next_seq !== identity.nextSeq || latest.chain_head !== identity.chainHead) {
        throw new KioskError("store-failed", "The kiosk identity changed while saving a record: another process is writing the database");
      }
      const inserted = db
        .query<{ id: number }, (string | number | Uint8Array)[]>(
          `INSERT INTO records (kiosk_id, epoch, seq, event_id, kind, schema_version, created_at, boot_id, body_sha256, prev_hash,
             record_hash, key_id, signature, body_sealed, body_bytes, wire_bytes, saved_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(
          header.kioskId,
          header.epoch,
          header.seq,
          header.eventId,
          header.kind,
          header.schemaVersion,
          header.createdAt,
          header.bootId,
          header.bodySha256,
          header.prevHash,
          recordHash,
          header.keyId,
          signature,
          sealed,
          body.bytes.length,
          wireBytes,
          now,
        ) as { id: number };
      db.query("INSERT INTO outbox (record_id, state, enqueued_at_ms) VALUES (?, 'pending', ?)").run(inserted.id, now);
      db.query("UPDATE kiosk_identity SET next_seq = next_seq + 1, chain_head = ? WHERE singleton = 1").run(recordHash);
    });
    try {
      // IMMEDIATE takes the write lock at BEGIN, so the check above cannot go stale.
      write.immediate();
    } catch (cause) {
      throw storeError(cause, `save record ${header.epoch}/${header.seq}`);
    }
    return {
      kioskId: header.kioskId,
      epoch: header.epoch,
      seq: header.seq,
      eventId: header.eventId,
      recordHash,
      savedAtMs: now,
      alreadySaved: false,
    };
  }

  /**
   * Begins a new epoch (on reprovisioning): sequence numbers restart at 1 and
   * the chain at `GENESIS_HASH`. Records of earlier epochs stay and are still
   * delivered.
   *
   * @param options.epoch the new epoch; must be above the current one
   *   (default: current + 1).
   * @param options.kioskId a new kiosk id, when the kiosk is re-enrolled under another id.
   * @throws {RangeError} when `options.epoch` is not above the current epoch.
   */
  async beginEpoch(options: { epoch?: number; kioskId?: string } = {}): Promise<KioskIdentity> {
    return this.#exclusive(async () => {
      const current = this.identity();
      const epoch = options.epoch ?? current.epoch + 1;
      if (!Number.isSafeInteger(epoch) || epoch <= current.epoch) {
        throw new RangeError(`Cannot begin epoch ${epoch}: the current epoch is ${current.epoch}`);
      }
      const kioskId = options.kioskId ?? current.kioskId;
      try {
        this.#deps.db
          .query("UPDATE kiosk_identity SET kiosk_id = ?, epoch = ?, next_seq = 1, chain_head = ?, epoch_started_at_ms = ? WHERE singleton = 1")
          .run(kioskId, epoch, GENESIS_HASH, this.#deps.clock.now());
      } catch (cause) {
        throw storeError(cause, `begin epoch ${epoch}`);
      }
      this.#deps.log.info("began a new epoch", { kioskId, epoch, previousEpoch: current.epoch });
      return this.identity();
    });
  }

  /**
   * A stored record with its body opened, or `undefined` when there is none.
   * @throws {KioskError} `store-failed` when the sealed body does not open.
   */
  async readRecord(epoch: number, seq: number, kioskId: string = this.identity().kioskId): Promise<StoredRecord | undefined> {
    const row = this.#deps.db
      .query<RecordRow & { state: OutboxState; settled_at_ms: number | null; reject_reason: string | null }, [string, number, number]>(
        `SELECT ${RECORD_COLUMNS}, o.state, o.settled_at_ms, o.reject_reason
         FROM records r JOIN outbox o ON o.record_id = r.id WHERE r.kiosk_id = ? AND r.epoch = ? AND r.seq = ?`,
      )
      .get(kioskId, epoch, seq);
    if (!row) return undefined;
    return {
      header: headerOf(row),
      signature: row.signature,
      recordHash: row.record_hash,
      body: await openBody(this.#deps.sealer, row),
      state: row.state,
      savedAtMs: row.saved_at_ms,
      settledAtMs: row.settled_at_ms,
      rejectReason: row.reject_reason,
    };
  }

  /**
   * Re-checks one epoch's records: each hash, each link to the previous
   * record, the sequence from 1 without gaps, and each signature made with
   * this kiosk's current key (records signed by other keys are reported).
   */
  async verifyChain(epoch: number = this.identity().epoch, kioskId: string = this.identity().kioskId): Promise<ChainReport> {
    const rows = this.#deps.db
      .query<RecordRow, [string, number]>(`SELECT ${RECORD_COLUMNS} FROM records r WHERE r.kiosk_id = ? AND r.epoch = ? ORDER BY r.seq`)
      .all(kioskId, epoch);
    const key = { keyId: this.#deps.signer.keyId, key: await importVerifyKey(this.#deps.signer.publicKey) };
    const links = rows.map((row) => ({ header: headerOf(row), recordHash: row.record_hash, signature: row.signature }));
    const problems = await chainProblems(links, key);
    return { kioskId, epoch, records: rows.length, problems };
  }

  /**
   * Purges the personal data (sealed body) of records acknowledged at or
   * before `cutoffMs`; their signed header, hashes and receipt stay.
   * Unacknowledged and quarantined records are never touched (a trigger
   * enforces it too). Returns how many records were purged.
   */
  purgeAcked(cutoffMs: number): number {
    const { db, clock } = this.#deps;
    const purge = db.query<unknown, [number, number, number]>(
      `UPDATE records SET body_sealed = NULL, purged_at_ms = ?
       WHERE id IN (SELECT o.record_id FROM outbox o JOIN records r ON r.id = o.record_id
                    WHERE o.state = 'acked' AND o.settled_at_ms <= ? AND r.body_sealed IS NOT NULL LIMIT ?)`,
    );
    let total = 0;
    try {
      for (;;) {
        const changes = purge.run(clock.now(), cutoffMs, PURGE_BATCH_ROWS).changes;
        total += changes;
        if (changes < PURGE_BATCH_ROWS) break;
      }
    } catch (cause) {
      throw storeError(cause, "purge acknowledged personal data");
    }
    if (total > 0) this.#deps.log.info("purged personal data of acknowledged results", { records: total });
    return total;
  }

  /**
   * Gives freed pages back to the filesystem and truncates the WAL, so purged
   * ciphertext leaves the disk and the budget sees the space.
   */
  compact(): void {
    try {
      this.#deps.db.run("PRAGMA incremental_vacuum");
      this.#deps.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (cause) {
      throw storeError(cause, "compact the kiosk database");
    }
  }

  #identityRow(): IdentityRow | null {
    return this.#deps.db
      .query<IdentityRow, []>("SELECT kiosk_id, epoch, next_seq, chain_head, epoch_started_at_ms FROM kiosk_identity WHERE singleton = 1")
      .get();
  }

  #findByEventId(eventId: string): RecordRow | null {
    return this.#deps.db.query<RecordRow, [string]>(`SELECT ${RECORD_COLUMNS} FROM records r WHERE r.event_id = ?`).get(eventId);
  }

  #savedOf(row: RecordRow): Omit<SavedRecord, "alreadySaved"> {
    return { kioskId: row.kiosk_id, epoch: row.epoch, seq: row.seq, eventId: row.event_id, recordHash: row.record_hash, savedAtMs: row.saved_at_ms };
  }

  // Runs `fn` after every earlier call has settled: appends and epoch changes never interleave.
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
