export * from "./pg-cluster.ts";
export * from "./pg-database.ts";
export * from "./test-central.ts";
export * from "./test-databases.ts";
export * from "./test-kiosk.ts";
export { TEST_PG_URL_ENV } from "./config.ts";
export * from "./ingest-bench.ts";
