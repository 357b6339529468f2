import type { Database } from "bun:sqlite";
import type { Logger } from "@kiosk/contracts";
import type { Migration } from "./migration.ts";

/**
 * Applies the migrations not yet applied, in version order, in one
 * transaction, and records each in `schema_migrations`. Returns the versions
 * it applied.
 *
 * @throws {RangeError} when the database holds a version this code does not
 *   know (a newer release migrated it): running older code on it could lose data.
 */
export function migrate(db: Database, migrations: readonly Migration[], log: Logger, nowMs: number): number[] {
  const run = db.transaction((): number[] => {
    db.run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT");
    const applied = new Set(db.query<{ version: number }, []>("SELECT version FROM schema_migrations").all().map((r) => r.version));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new RangeError(`Cannot use a kiosk database at schema version ${Math.max(...unknown)}: this release knows versions up to ${Math.max(0, ...known)}`);
    }
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.up) db.run(statement);
      db.query("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)").run(migration.version, migration.name, nowMs);
      done.push(migration.version);
    }
    return done;
  });
  const done = run.immediate();
  for (const version of done) log.info("applied migration", { version, migration: migrations.find((m) => m.version === version)?.name });
  return done;
}
