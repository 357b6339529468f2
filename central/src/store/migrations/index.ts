import type { Migration } from "../migration.ts";
import { migration0001 } from "./0001-kiosk-heartbeats.ts";

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [migration0001];
