export * from "./pg-cluster.ts";
export * from "./test-databases.ts";
export { TEST_PG_URL_ENV } from "./config.ts";
