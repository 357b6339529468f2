/**
 * `@kiosk/edge-server/testing`: what tests, benchmarks and the `./kiosk face
 * sequence` tool use, kept out of the kiosk's main export.
 */
export { benchCommitTime, type CommitBench } from "../store/bench-commit.ts";
export { benchDrain, type DrainBench, type DrainBenchOptions } from "../store/bench-drain.ts";
export { FACE_FIXTURES } from "../adapters/face/face-fixtures.ts";
export { MIN_SEQUENCE_FRAMES, SEQUENCE_KINDS, makeFaceSequence, type FaceSequenceOptions, type SequenceKind } from "../adapters/face/face-sequence.ts";
export { openSyncCacheReader, type SyncCacheReader } from "../store/sync-cache-reader.ts";
