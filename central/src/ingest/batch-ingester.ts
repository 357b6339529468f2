import {
  batchIdempotencyKey,
  KioskError,
  kioskIdSchema,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  receiptSigningInput,
  recordStatusesDigest,
  signBase64Url,
  type BatchResponse,
  type Clock,
  type Logger,
  type Receipt,
  type Signer,
} from "@kiosk/contracts";
import { z } from "zod";
import type { IngestStore } from "../store/ingest-store.ts";
import type { ResultPartitions } from "../store/result-partitions.ts";
import { gunzipCapped } from "./gunzip-capped.ts";
import type { RecordVerifier } from "./record-verifier.ts";
import type { RequestAuthenticator, SignedRequest } from "./request-authenticator.ts";

/**
 * Most bytes of a batch body on the wire. gzip can grow incompressible data
 * by a few bytes per 16 KiB block, so the wire limit has a little headroom
 * over the uncompressed limit of the contract.
 */
export const MAX_BATCH_WIRE_BYTES = MAX_BATCH_BYTES + 16 * 1024;

// The batch envelope. Records are checked one by one afterwards (a record
// that breaks the record schema is rejected `bad-schema` on its own, so one
// malformed record cannot block the kiosk's whole queue); only `seq` must be
// readable here, because every answer names its seq.
const envelopeSchema = z.object({
  kioskId: kioskIdSchema,
  epoch: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  records: z
    .array(z.looseObject({ seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }))
    .min(1)
    .max(MAX_BATCH_RECORDS),
});

/** What the ingester needs. */
export interface BatchIngesterDeps {
  readonly authenticator: RequestAuthenticator;
  readonly verifier: RecordVerifier;
  readonly store: IngestStore;
  readonly partitions: ResultPartitions;
  /** Central's receipt key. */
  readonly signer: Signer;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Takes one signed batch from a kiosk: authenticates the request, decodes
 * the body, checks every record, stores the batch in one transaction and
 * answers, after commit, with per-record statuses, `ackThrough`, gaps and a
 * receipt signed by central.
 */
export class BatchIngester {
  readonly #deps: BatchIngesterDeps;

  constructor(deps: BatchIngesterDeps) {
    this.#deps = deps;
  }

  /**
   * Handles `POST batchPath(kioskId)`. The request body must already be read
   * (at most {@linkcode MAX_BATCH_WIRE_BYTES}).
   *
   * @throws {UnauthorizedError} for a missing, unknown, foreign or invalid signature (nothing stored).
   * @throws {KioskError} `unsupported-media-type`, `payload-too-large`, `bad-request` for a batch
   *   that cannot be read (nothing stored); `store-failed` when the database fails (nothing committed).
   */
  async ingest(kioskIdParam: string, request: SignedRequest): Promise<BatchResponse> {
    const { authenticator, verifier, store, partitions, signer, clock, log } = this.#deps;
    const kioskId = kioskIdSchema.safeParse(kioskIdParam);
    if (!kioskId.success) throw new KioskError("bad-request", `Invalid kiosk id "${kioskIdParam.slice(0, 80)}" in the path`);
    const type = request.header("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) throw new KioskError("unsupported-media-type", `Expected "application/json", got "${type || "(none)"}"`);
    const encoding = (request.header("content-encoding") ?? "identity").trim().toLowerCase();
    if (encoding !== "gzip" && encoding !== "identity") {
      throw new KioskError("unsupported-media-type", `Unsupported Content-Encoding "${encoding}": send gzip or no encoding`);
    }

    // Authenticate before decompressing: an unauthenticated sender never gets to make central inflate anything.
    const auth = await authenticator.authenticate(kioskId.data, request);
    const json = encoding === "gzip" ? await gunzipCapped(request.body, MAX_BATCH_BYTES) : request.body;
    if (json.byteLength > MAX_BATCH_BYTES) throw new KioskError("payload-too-large", `Batch of ${json.byteLength} bytes exceeds the limit of ${MAX_BATCH_BYTES} bytes`);
    const batch = parseEnvelope(json);
    if (batch.kioskId !== kioskId.data) {
      throw new KioskError("bad-request", `Batch names kiosk "${batch.kioskId}" but was sent to the path of kiosk "${kioskId.data}"`);
    }
    const first = batch.records[0]!.seq;
    const last = batch.records[batch.records.length - 1]!.seq;
    const expectedKey = batchIdempotencyKey(kioskId.data, batch.epoch, first, last);
    if (auth.idempotencyKey !== expectedKey) {
      throw new KioskError("bad-request", `Idempotency-Key "${auth.idempotencyKey.slice(0, 100)}" does not match the batch: expected "${expectedKey}"`);
    }

    const startedMs = clock.now();
    await partitions.ensure(startedMs);
    const checked = await verifier.verify(kioskId.data, batch.epoch, batch.records);
    const receivedAtMs = clock.now();
    let stored;
    try {
      stored = await store.storeBatch(kioskId.data, batch.epoch, checked, receivedAtMs);
    } catch (cause) {
      throw new KioskError("store-failed", `Cannot store the batch of kiosk "${kioskId.data}": ${(cause as Error).message}`, { cause });
    }
    const unsigned: Omit<Receipt, "signature"> = {
      kioskId: kioskId.data,
      epoch: batch.epoch,
      ackThrough: stored.ackThrough,
      batchDigest: auth.contentSha256,
      resultsDigest: await recordStatusesDigest(stored.plan.statuses),
      receivedAt: new Date(receivedAtMs).toISOString(),
      keyId: signer.keyId,
    };
    const receipt: Receipt = { ...unsigned, signature: await signBase64Url(signer, receiptSigningInput(unsigned)) };

    const { counts } = stored.plan;
    log.info("batch stored", {
      kioskId: kioskId.data,
      epoch: batch.epoch,
      records: checked.length,
      accepted: counts.accepted,
      duplicates: counts.duplicate,
      rejected: checked.length - counts.accepted - counts.duplicate,
      ackThrough: stored.ackThrough,
      gaps: stored.gaps.length,
      ms: clock.now() - startedMs,
    });
    for (const alarm of stored.plan.alarms) {
      log.warn("integrity alarm", { kioskId: kioskId.data, epoch: batch.epoch, seq: alarm.seq, kind: alarm.kind, detail: alarm.detail });
    }
    return { ackThrough: stored.ackThrough, results: stored.plan.statuses, gaps: stored.gaps, receipt };
  }
}

function parseEnvelope(json: Uint8Array): z.output<typeof envelopeSchema> & { records: Array<{ seq: number }> } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (cause) {
    throw new KioskError("bad-request", `Batch is not valid UTF-8 JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
    throw new KioskError("bad-request", `Invalid batch at "${where}": ${issue?.message ?? "does not match the schema"}`);
  }
  // The raw records, not zod's copies: each is checked against the full record schema next.
  return { ...parsed.data, records: (value as { records: Array<{ seq: number }> }).records };
}
