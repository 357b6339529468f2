/**
 * The store-and-forward sender: delivers pending records to central, one
 * batch in flight, oldest first, and marks them acknowledged only after
 * verifying central's signed receipt.
 */
import {
  batchIdempotencyKey,
  batchPath,
  redactText,
  sha256Hex,
  type Clock,
  type Logger,
  type Service,
  type Signer,
  type UpstreamRecord,
} from "@kiosk/contracts";
import { retryAfterMs, type BackoffPolicy } from "./backoff.ts";
import type { CentralClock } from "./central-clock.ts";
import type { CentralKey } from "./central-key.ts";
import { encodeBatch } from "./encode-batch.ts";
import { gzip } from "./gzip.ts";
import type { OutboxRepository, PendingBatch, QueuePosition } from "./outbox-repository.ts";
import { checkBatchResponse, planSettlement } from "./receipt-check.ts";
import { RetryLoop, type PassResult, type RetryLoopState } from "./retry-loop.ts";
import { SignedUpstream } from "./signed-upstream.ts";
import type { UpstreamClient, UpstreamResponse } from "./upstream-client.ts";

/** Dependencies and settings of {@linkcode OutboxSender}. */
export interface OutboxSenderDeps {
  readonly repository: OutboxRepository;
  readonly upstream: UpstreamClient;
  /** The kiosk's key; it signs each request. */
  readonly signer: Signer;
  /** Central's clock as the kiosk estimates it, for request timestamps; shared with sync-down. */
  readonly centralClock: CentralClock;
  /** Central's receipt key. Without it nothing is sent, since no receipt could be verified. */
  readonly central: CentralKey | undefined;
  readonly clock: Clock;
  readonly log: Logger;
  /** Source of numbers in [0, 1) for jitter; defaults to `Math.random`. */
  readonly random?: () => number;
  /** Most records per batch (≤ `MAX_BATCH_RECORDS`). */
  readonly maxRecords: number;
  /** Most bytes of a batch's JSON before compression (≤ `MAX_BATCH_BYTES`). */
  readonly maxBytes: number;
  readonly backoff: BackoffPolicy;
  /** Time between checks for pending records when nothing signals new work, in milliseconds. */
  readonly idlePollMs: number;
}

/** What the sender knows about delivery, for the health report. */
export type OutboxSenderState = RetryLoopState;

/** A batch read from the outbox and made into a compressed request, not yet signed or sent. */
interface PreparedBatch {
  readonly pending: PendingBatch;
  /** The records the body holds: a prefix of `pending.records`. */
  readonly records: readonly UpstreamRecord[];
  readonly first: number;
  readonly last: number;
  /** The record limit it was read with. */
  readonly limit: number;
  readonly path: string;
  readonly idempotencyKey: string;
  /** Headers other than the signature's, which is made for each attempt. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  /** SHA-256 (hex) of `body`, which central's receipt must name. */
  readonly batchDigest: string;
}

/**
 * The pending records known to hold one that central refuses as part of a
 * batch: those of (kioskId, epoch) up to `lastSeq`, `count` of them, at the
 * head of the queue.
 */
interface Suspects {
  readonly kioskId: string;
  readonly epoch: number;
  readonly lastSeq: number;
  readonly count: number;
}

const failed = (code: string, message: string, retryAfter = 0): PassResult => ({ kind: "failed", code, message, retryAfterMs: retryAfter });

// Statuses that mean "this batch, as sent, will never be taken": shrink it to isolate the record at fault.
const REFUSED_BATCH_STATUSES = new Set([400, 413, 422]);

/**
 * Sends pending records to central.
 *
 * - One batch in flight; the oldest pending records of one (kiosk, epoch)
 *   first, at most `maxRecords` records or `maxBytes` of JSON, gzip-compressed,
 *   with an `Idempotency-Key` and the kiosk's request signature, made afresh
 *   for every attempt (timestamp on {@linkcode CentralClock}, new nonce); a
 *   refusal as expired corrects that clock and is retried at once.
 * - While a batch is in flight, the next one is read, encoded, compressed
 *   and signed, but sent only after this receipt is verified and settled,
 *   and only if it still heads the queue then (otherwise it is read again).
 * - Drains back-to-back while records are pending; otherwise waits for
 *   {@linkcode OutboxSender.notify} (new record), {@linkcode OutboxSender.nudge}
 *   (network back) or the idle poll.
 * - On failure retries forever with exponential back-off and full jitter,
 *   never sooner than central's `Retry-After`.
 * - Records are acknowledged only after the receipt verifies
 *   (`receipt-check.ts`). A record central refuses is quarantined on its own
 *   and the queue moves on.
 * - A batch refused as a whole (400, 413, 422) is bisected: its records are
 *   suspects, the first half of the suspects is sent next, and each answer
 *   halves them (refused: the half sent; taken: the half left), until the
 *   record at fault is sent alone and quarantined. A halving is progress,
 *   not a failure: the next request goes at once, without back-off, so one
 *   record among n is isolated in at most ⌈log2 n⌉ + 2 requests, the records
 *   before it are delivered on the way, and those after it flow right after.
 */
export class OutboxSender implements Service {
  readonly name = "outbox-sender";
  readonly #deps: OutboxSenderDeps;
  readonly #loop: RetryLoop;
  readonly #requests: SignedUpstream;
  #prepared: Promise<PreparedBatch | undefined> | undefined;
  #suspects: Suspects | undefined;

  constructor(deps: OutboxSenderDeps) {
    this.#deps = deps;
    this.#requests = new SignedUpstream({ upstream: deps.upstream, signer: deps.signer, centralClock: deps.centralClock, log: deps.log });
    this.#loop = new RetryLoop({
      pass: (signal) => this.#sendOne(signal),
      clock: deps.clock,
      log: deps.log,
      random: deps.random ?? Math.random,
      backoff: deps.backoff,
      idleMs: deps.idlePollMs,
      messages: {
        failing: "cannot deliver results to central; will retry",
        recovered: "central takes batches again",
        unexpected: "unexpected failure in the outbox sender",
      },
    });
  }

  /** The sender's state, for the health report. */
  get state(): OutboxSenderState {
    return this.#loop.state;
  }

  async start(): Promise<void> {
    if (this.#deps.central) this.#loop.start();
    else this.#loop.hold("config-invalid", "Central's public key (sync.centralPublicKey) is not configured: results are kept on the kiosk but not sent");
  }

  async stop(): Promise<void> {
    await this.#loop.stop("outbox sender stopped");
    await this.#prepared;
    this.#prepared = undefined;
  }

  /**
   * Tries at once (the network is back, or a heartbeat got through), skipping
   * any back-off but not central's `Retry-After`. During an attempt, another
   * follows it.
   */
  nudge(): void {
    this.#loop.nudge();
  }

  /** Signals a new pending record: sends it soon unless the sender is backing off. */
  notify(): void {
    this.#loop.notify();
  }

  /** Resolves when no attempt is running (for orderly shutdown and tests). */
  whenIdle(): Promise<void> {
    return this.#loop.whenIdle();
  }

  async #sendOne(signal: AbortSignal): Promise<PassResult> {
    const { log } = this.#deps;
    this.#recountSuspects();
    const batch = (await this.#takePrepared()) ?? (await this.#prepare(this.#limit()));
    if (!batch) return { kind: "idle" };
    const { pending, records, first, last, path, idempotencyKey, headers, body, batchDigest } = batch;
    for (const seq of pending.unreadable) {
      if (seq >= first && seq <= last) {
        log.error("integrity alarm: a saved record's body cannot be decrypted; sending its signed header so central settles it", {
          epoch: pending.epoch,
          seq,
        });
      }
    }
    // While this batch is in flight, the one after it is read and encoded
    // (never sent): it goes out only after this receipt is verified and
    // settled, and only if it still heads the queue then. Not while
    // bisecting: the next batch depends on this answer.
    let next: Promise<PreparedBatch | undefined> | undefined;
    let settled = false;
    try {
      const sending = this.#requests.send({ method: "POST", path, idempotencyKey, headers, body }, signal);
      if (!this.#suspects) next = this.#prepare(this.#limit(), { kioskId: pending.kioskId, epoch: pending.epoch, seq: last }).catch(() => undefined);
      const outcome = await this.#settle(batch, await sending);
      settled = next !== undefined && outcome.kind === "progress" && !this.#suspects;
      if (settled) this.#prepared = next;
      return outcome;
    } finally {
      // A read-ahead that will not be used still finishes before the attempt ends.
      if (!settled) await next;
    }
  }

  // Most records in the next batch: all, or while bisecting the first half of the suspects.
  #limit(): number {
    return this.#suspects ? Math.max(1, Math.floor(this.#suspects.count / 2)) : this.#deps.maxRecords;
  }

  // Counts the suspects still pending (the ones before the record at fault leave
  // as they are delivered); forgets them once none is left.
  #recountSuspects(): void {
    const suspects = this.#suspects;
    if (!suspects) return;
    const head = this.#deps.repository.pendingHead(suspects.count);
    const same = head !== undefined && head.kioskId === suspects.kioskId && head.epoch === suspects.epoch;
    const count = same ? head.seqs.filter((seq) => seq <= suspects.lastSeq).length : 0;
    this.#suspects = count > 0 ? { ...suspects, count } : undefined;
  }

  // The read-ahead batch, if it is still exactly the head of the queue.
  async #takePrepared(): Promise<PreparedBatch | undefined> {
    const prepared = await this.#prepared;
    this.#prepared = undefined;
    if (!prepared || prepared.limit !== this.#limit()) return undefined;
    const head = this.#deps.repository.pendingHead(prepared.records.length);
    const seqs = prepared.records.map((r) => r.seq);
    const same =
      head !== undefined &&
      head.kioskId === prepared.pending.kioskId &&
      head.epoch === prepared.pending.epoch &&
      head.seqs.length === seqs.length &&
      head.seqs.every((seq, i) => seq === seqs[i]);
    return same ? prepared : undefined;
  }

  // Reads the next batch (after `after`, when given) and builds its compressed request (signed when sent).
  async #prepare(limit: number, after?: QueuePosition): Promise<PreparedBatch | undefined> {
    const { repository } = this.#deps;
    const pending = await repository.nextBatch(limit, this.#deps.maxBytes, after);
    if (!pending) return undefined;
    const { bytes, records } = encodeBatch(pending, this.#deps.maxBytes);
    const first = records[0]?.seq ?? 0;
    const last = records[records.length - 1]?.seq ?? 0;
    const body = await gzip(bytes);
    const batchDigest = await sha256Hex(body);
    const path = batchPath(pending.kioskId);
    const idempotencyKey = batchIdempotencyKey(pending.kioskId, pending.epoch, first, last);
    const headers = { "Content-Type": "application/json", "Content-Encoding": "gzip", Accept: "application/json" };
    return { pending, records, first, last, limit, path, idempotencyKey, headers, body, batchDigest };
  }

  // Checks central's answer to `batch` and settles its records.
  async #settle(batch: PreparedBatch, response: UpstreamResponse): Promise<PassResult> {
    const { repository, clock, log } = this.#deps;
    const central = this.#deps.central as CentralKey;
    const { pending, records, first, last, batchDigest } = batch;
    const now = clock.now();
    const what = `batch ${pending.epoch}/${first}-${last}`;
    const { status } = response;
    if (status === 408 || status === 429 || status >= 500) {
      return failed("central-unreachable", `Central answered ${status} to ${what}: try again later`, retryAfterMs(response.retryAfter, now));
    }
    if (REFUSED_BATCH_STATUSES.has(status)) return this.#refused(pending, records.map((r) => r.seq), response);
    if (status < 200 || status >= 300) {
      return failed("central-rejected", `Central refused ${what} with ${status}`, retryAfterMs(response.retryAfter, now));
    }
    const check = await checkBatchResponse(
      response.text,
      { kioskId: pending.kioskId, epoch: pending.epoch, batchDigest, lastSeq: repository.lastSeq(pending.kioskId, pending.epoch) },
      central,
    );
    if (!check.ok) {
      if (check.integrity) log.error("integrity alarm: central's signed receipt contradicts the kiosk", { epoch: pending.epoch, reason: check.reason });
      return failed("central-rejected", `Central's reply to ${what} is not a valid receipt: ${check.reason}`);
    }
    const plan = planSettlement(
      records.map((r) => r.seq),
      check.response,
    );
    if (plan.conflicts.length > 0) {
      log.error("integrity alarm: central holds different content for these records (conflict); quarantined", {
        epoch: pending.epoch,
        seqs: plan.conflicts,
      });
    }
    for (const q of plan.quarantined) {
      if (q.reason !== "conflict") log.warn("central refused a record; quarantined", { epoch: pending.epoch, seq: q.seq, reason: q.reason });
    }
    if (check.response.gaps.length > 0) log.warn("central reports missing records", { epoch: pending.epoch, gaps: check.response.gaps });
    if (plan.acked.length === 0 && plan.quarantined.length === 0) {
      return failed(
        "central-rejected",
        `Central's receipt for ${what} settles none of its records (ackThrough ${check.response.receipt.ackThrough}): they stay pending`,
      );
    }
    repository.settle({
      kioskId: pending.kioskId,
      epoch: pending.epoch,
      acked: plan.acked,
      quarantined: plan.quarantined,
      receipt: check.response.receipt,
      atMs: now,
    });
    log.debug(() => `${what}: ${plan.acked.length} acknowledged, ${plan.quarantined.length} quarantined`);
    return { kind: "progress" };
  }

  #refused(pending: PendingBatch, seqs: readonly number[], response: UpstreamResponse): PassResult {
    const { log } = this.#deps;
    const first = seqs[0] as number;
    const last = seqs[seqs.length - 1] as number;
    if (seqs.length > 1) {
      const fields = { epoch: pending.epoch, first, last, records: seqs.length, status: response.status };
      if (this.#suspects) log.debug(() => `central refused batch ${pending.epoch}/${first}-${last} as well; halving again`);
      else log.warn("central refused a batch as a whole; halving it to find the record at fault", fields);
      this.#suspects = { kioskId: pending.kioskId, epoch: pending.epoch, lastSeq: last, count: seqs.length };
      return { kind: "progress" };
    }
    this.#deps.repository.settle({
      kioskId: pending.kioskId,
      epoch: pending.epoch,
      acked: [],
      quarantined: [{ seq: first, reason: `refused-${response.status}`, message: redactText(response.text).slice(0, 500) || null }],
      receipt: null,
      atMs: this.#deps.clock.now(),
    });
    log.warn("central refused a one-record batch; quarantined", { epoch: pending.epoch, seq: first, status: response.status });
    this.#suspects = undefined;
    return { kind: "progress" };
  }
}
