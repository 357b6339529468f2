/**
 * `bun central/bench/ingest.ts [records] [batchSize] [kiosks] [verifyWorkers]`:
 * measures ingest throughput on SQLite and on a durable throwaway
 * PostgreSQL, and Ed25519 verifications per second; prints one JSON object.
 * verifyWorkers: 0 (default) one worker per core but one, -1 none.
 */
import { measureVerifyRate, runIngestBench } from "../src/testing/index.ts";

const [records = 100_000, batchSize = 500, kiosks = 4, verifyWorkers = 0] = process.argv.slice(2).map(Number);
const verify = await measureVerifyRate();
const sqlite = await runIngestBench({ backend: "sqlite", records, batchSize, kiosks, verifyWorkers });
const postgres = await runIngestBench({ backend: "postgres", records, batchSize, kiosks, verifyWorkers });
process.stdout.write(`${JSON.stringify({ verify, sqlite, postgres }, null, 2)}\n`);
