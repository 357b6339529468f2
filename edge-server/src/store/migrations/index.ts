import type { Migration } from "../migration.ts";
import { migration0001 } from "./0001-kiosk-identity.ts";
import { migration0002 } from "./0002-records-outbox.ts";
import { migration0003 } from "./0003-sync-cache.ts";
import { migration0004 } from "./0004-receipt-results-digest.ts";
import { migration0005 } from "./0005-record-wire-bytes.ts";

/** Every migration of the kiosk database, in order. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];
