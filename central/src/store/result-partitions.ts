import type { Logger } from "@kiosk/contracts";
import type { Database } from "./database.ts";

/** Months of partitions kept ready beyond the current one. */
export const PARTITION_MONTHS_AHEAD = 2;

/** First day (UTC) of the month of `ms`, as `YYYY-MM-DD`, shifted by `addMonths`. */
export function monthStart(ms: number, addMonths = 0): string {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, 1)).toISOString().slice(0, 10);
}

/**
 * Keeps monthly partitions of the PostgreSQL results table ready ahead of
 * time. Rows of a month without a partition land in the default partition,
 * which then blocks creating that month's partition, so partitions are made
 * {@linkcode PARTITION_MONTHS_AHEAD} months early: at start and whenever the
 * clock reaches a month not yet covered (checked before every batch, from
 * memory, so it costs nothing per batch). SQLite has one plain table: a no-op.
 *
 * This is schema maintenance, so it is the one place outside migrations that
 * knows the dialect; the DDL itself is the migration's
 * `ensure_upstream_records_partition` function.
 */
export class ResultPartitions {
  readonly #db: Database;
  readonly #log: Logger;
  // Month starts (YYYY-MM-DD) known to have a partition.
  readonly #ready = new Set<string>();
  #pending: Promise<void> | undefined;
  #retryAtMs = 0;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  /**
   * Makes sure the month of `nowMs` and the following months have partitions.
   * Never throws: a failure is logged (at most every {@linkcode RETRY_AFTER_FAILURE_MS}),
   * and rows still land in the default partition meanwhile.
   */
  async ensure(nowMs: number): Promise<void> {
    if (this.#db.dialect !== "postgres") return;
    const months = Array.from({ length: PARTITION_MONTHS_AHEAD + 1 }, (_, i) => monthStart(nowMs, i));
    if (months.every((m) => this.#ready.has(m)) || nowMs < this.#retryAtMs) return;
    this.#pending ??= this.#create(months, nowMs).finally(() => (this.#pending = undefined));
    await this.#pending;
  }

  async #create(months: readonly string[], nowMs: number): Promise<void> {
    for (const month of months) {
      if (this.#ready.has(month)) continue;
      try {
        const rows: Array<{ created: boolean }> = await this.#db.sql`select ensure_upstream_records_partition(${month}::date) as created`;
        if (rows[0]?.created) this.#log.info("created results partition", { month });
        this.#ready.add(month);
      } catch (error) {
        this.#retryAtMs = nowMs + RETRY_AFTER_FAILURE_MS;
        this.#log.error("cannot create results partition; rows of that month go to the default partition", { month, error });
        return;
      }
    }
  }
}

/** Wait before trying again after a partition could not be created. */
export const RETRY_AFTER_FAILURE_MS = 10 * 60_000;
