import type { Logger } from "@kiosk/contracts";
import type { Database } from "./database.ts";
import type { Migration } from "./migration.ts";

// Serialises migrations when several central processes share one PostgreSQL.
const MIGRATION_LOCK_ID = 7_260_001;

/**
 * Applies the migrations not yet applied, in order, in one transaction, and
 * records them in `schema_migrations`. Returns the versions it applied.
 *
 * @throws {RangeError} when the database has a version this code does not
 *   know (it was migrated by a newer release).
 */
export async function migrate(db: Database, migrations: readonly Migration[], log: Logger): Promise<number[]> {
  return db.sql.begin(async (tx) => {
    if (db.dialect === "postgres") await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`;
    await tx.unsafe(
      db.dialect === "postgres"
        ? "create table if not exists schema_migrations (version integer primary key, name text not null, applied_at text not null)"
        : "create table if not exists schema_migrations (version integer primary key, name text not null, applied_at text not null) strict",
    );
    const rows: Array<{ version: number | string }> = await tx`select version from schema_migrations`;
    const applied = new Set(rows.map((r) => Number(r.version)));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new RangeError(`Cannot use a database at schema version ${Math.max(...unknown)}: this release knows versions up to ${Math.max(0, ...known)}`);
    }
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.up[db.dialect]) await tx.unsafe(statement);
      await tx`insert into schema_migrations (version, name, applied_at) values (${migration.version}, ${migration.name}, ${new Date().toISOString()})`;
      log.info("applied migration", { version: migration.version, migration: migration.name });
      done.push(migration.version);
    }
    return done;
  });
}
