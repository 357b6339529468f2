/**
 * Test settings read from the environment. `./kiosk test` starts one
 * PostgreSQL cluster for the whole run and passes its URL here.
 */

/** Variable holding the URL of the run's PostgreSQL cluster. */
export const TEST_PG_URL_ENV = "KIOSK_TEST_PG_URL";

/** The URL of the PostgreSQL cluster started by the test runner, if any. */
export function testPgUrl(): string | undefined {
  return process.env[TEST_PG_URL_ENV] || undefined;
}
