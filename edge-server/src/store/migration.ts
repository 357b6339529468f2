/** One numbered change to the kiosk database schema. */
export interface Migration {
  /** Strictly increasing number; also the file name prefix (`0001-…`). */
  readonly version: number;
  readonly name: string;
  /** SQL statements, run in order inside one transaction. */
  readonly up: readonly string[];
}
