import type { Dialect } from "./database.ts";

/**
 * One numbered change to the central schema. Statements are given per
 * dialect where SQLite and PostgreSQL differ (types, partitioning).
 */
export interface Migration {
  /** Strictly increasing number; also the file name prefix. */
  readonly version: number;
  readonly name: string;
  readonly up: Readonly<Record<Dialect, readonly string[]>>;
}
