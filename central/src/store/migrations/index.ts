import type { Migration } from "../migration.ts";
import { migration0001 } from "./0001-kiosk-heartbeats.ts";
import { migration0002 } from "./0002-kiosk-directory.ts";
import { migration0003 } from "./0003-ingest.ts";
import { migration0004 } from "./0004-sync-down.ts";
import { migration0005 } from "./0005-request-nonces.ts";

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];
