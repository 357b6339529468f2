import type { Migration } from "../migration.ts";

/**
 * Keeps the `resultsDigest` of each receipt. Central signs it as part of the
 * receipt (the per-record verdicts), so without it a stored receipt can no
 * longer be re-verified with central's key: the kiosk would hold proof it
 * cannot show. Rows stored before this migration keep NULL.
 */
export const migration0004: Migration = {
  version: 4,
  name: "receipt-results-digest",
  up: ["ALTER TABLE receipts ADD COLUMN results_digest TEXT CHECK (results_digest IS NULL OR length(results_digest) = 64)"],
};
