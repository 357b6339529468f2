/**
 * Sync-down: pulls the hall's matters and the card blocklist from central
 * into the kiosk's encrypted cache, so the journey works offline.
 */
import {
  fromBase64Url,
  KioskError,
  syncPath,
  syncPayloadSchema,
  syncResponseSchema,
  syncSigningInput,
  verifySignature,
  type Clock,
  type Logger,
  type Matter,
  type Service,
  type Signer,
  type SyncDownHealth,
  type SyncPayload,
} from "@kiosk/contracts";
import { retryAfterMs, type BackoffPolicy } from "../outbox/backoff.ts";
import type { CentralClock } from "../outbox/central-clock.ts";
import type { CentralKey } from "../outbox/central-key.ts";
import { RetryLoop, type PassResult } from "../outbox/retry-loop.ts";
import { SignedUpstream } from "../outbox/signed-upstream.ts";
import type { UpstreamClient } from "../outbox/upstream-client.ts";
import type { BlocklistEntry, SyncCache } from "./sync-cache.ts";

/** Dependencies and settings of {@linkcode SyncDownClient}. */
export interface SyncDownClientDeps {
  readonly kioskId: string;
  readonly cache: SyncCache;
  readonly upstream: UpstreamClient;
  /** The kiosk's key; it signs each pull. */
  readonly signer: Signer;
  /** Central's clock as the kiosk estimates it, for request timestamps; shared with the outbox sender. */
  readonly centralClock: CentralClock;
  /** Central's key. Without it no page can be verified, so none is pulled (the cache still answers). */
  readonly central: CentralKey | undefined;
  readonly clock: Clock;
  readonly log: Logger;
  /** Source of numbers in [0, 1) for jitter; defaults to `Math.random`. */
  readonly random?: () => number;
  /** Time between pulls, in milliseconds. */
  readonly pullIntervalMs: number;
  /** Retry timing after a failed pull. */
  readonly backoff: BackoffPolicy;
}

/** Thrown inside a pull to carry central's `Retry-After`. */
class PullError extends KioskError {
  readonly retryAfterMs: number;
  constructor(code: "central-unreachable" | "central-rejected", message: string, retryAfter = 0) {
    super(code, message);
    this.retryAfterMs = retryAfter;
  }
}

/**
 * Pulls `GET /api/v1/kiosks/{kioskId}/sync?cursor=N` at start, every
 * `pullIntervalMs` and on {@linkcode SyncDownClient.nudge}, following pages
 * until one is `complete`. Each request is signed like a batch (idempotency
 * key `sync:{cursor}`, digest of the empty body, timestamp and nonce, with
 * the clock correction shared with the outbox sender); each page is applied only
 * after central's signature over the exact payload text verifies and the
 * page continues from the kiosk's cursor. A failed pull is retried with
 * back-off; the cached data keeps answering meanwhile.
 */
export class SyncDownClient implements Service {
  readonly name = "sync-down";
  readonly #deps: SyncDownClientDeps;
  readonly #loop: RetryLoop;
  readonly #requests: SignedUpstream;

  constructor(deps: SyncDownClientDeps) {
    this.#deps = deps;
    this.#requests = new SignedUpstream({ upstream: deps.upstream, signer: deps.signer, centralClock: deps.centralClock, log: deps.log });
    this.#loop = new RetryLoop({
      pass: (signal) => this.#pull(signal),
      clock: deps.clock,
      log: deps.log,
      random: deps.random ?? Math.random,
      backoff: deps.backoff,
      idleMs: deps.pullIntervalMs,
      // Back off, but never wait longer than a regular pull would.
      maxRetryDelayMs: deps.pullIntervalMs,
      messages: {
        failing: "sync-down pull failed; will retry",
        recovered: "sync-down works again",
        unexpected: "unexpected failure in sync-down",
      },
    });
  }

  async start(): Promise<void> {
    if (this.#deps.central) this.#loop.start();
    else this.#loop.hold("config-invalid", "Central's public key (sync.centralPublicKey) is not configured: matters and the blocklist are not updated");
  }

  async stop(): Promise<void> {
    await this.#loop.stop("sync-down stopped");
  }

  /** Pulls at once (network back, or an operator asked), but not before central's `Retry-After`. */
  nudge(): void {
    this.#loop.nudge();
  }

  /** Resolves when no pull is running (for orderly shutdown and tests). */
  whenIdle(): Promise<void> {
    return this.#loop.whenIdle();
  }

  /**
   * Open matters of the hall naming `cardNumber` as a person, from the
   * cache (works offline).
   */
  pendingMatters(cardNumber: string): Promise<Matter[]> {
    return this.#deps.cache.pendingMatters(cardNumber);
  }

  /** Whether `cardNumber` is on the cached blocklist, and why. */
  blocklistEntry(cardNumber: string): Promise<BlocklistEntry> {
    return this.#deps.cache.blocklistEntry(cardNumber);
  }

  /** The hall whose matters the cache holds, or null before the first pull. */
  hallId(): string | null {
    return this.#deps.cache.state().hallId;
  }

  /** True when `cardNumber` is on the cached blocklist. */
  async isBlocklisted(cardNumber: string): Promise<boolean> {
    return (await this.#deps.cache.blocklistEntry(cardNumber)).listed;
  }

  /** The cache's state for the health report; `cacheAgeS` is the time since the last complete pull. */
  health(): SyncDownHealth {
    const state = this.#deps.cache.state();
    const counts = this.#deps.cache.counts();
    const now = this.#deps.clock.now();
    const last = state.lastCompleteAtMs;
    return {
      cursor: state.cursor,
      lastCompleteAt: last === null ? null : new Date(last).toISOString(),
      cacheAgeS: last === null ? null : Math.max(0, Math.round((now - last) / 1000)),
      openMatters: counts.openMatters,
      blocklisted: counts.blocklisted,
      lastError: this.#loop.state.lastError,
    };
  }

  // One pull, to the last page; central's Retry-After travels with its refusal.
  async #pull(signal: AbortSignal): Promise<PassResult> {
    try {
      await this.#pullToEnd(signal);
      return { kind: "idle" };
    } catch (error) {
      if (error instanceof PullError) return { kind: "failed", code: error.code, message: error.message, retryAfterMs: error.retryAfterMs };
      throw error;
    }
  }

  async #pullToEnd(signal: AbortSignal): Promise<void> {
    const { cache, log } = this.#deps;
    let resetDone = false;
    for (;;) {
      const state = cache.state();
      const payload = await this.#fetchPage(state.cursor, signal);
      if (state.hallId !== null && payload.hallId !== state.hallId) {
        if (resetDone) throw new PullError("central-rejected", `Central keeps changing this kiosk's hall ("${payload.hallId}")`);
        // The kiosk moved: the cached matters belong to the old hall, and the
        // cursor's changes were for it; start over for the new hall.
        log.warn("the kiosk's hall changed; rebuilding the sync-down cache", { from: state.hallId, to: payload.hallId });
        cache.reset();
        resetDone = true;
        continue;
      }
      if (!payload.complete && payload.toCursor <= payload.fromCursor) {
        throw new PullError("central-rejected", `Central's sync page at cursor ${payload.fromCursor} is incomplete but does not advance`);
      }
      await cache.applyPage(payload, this.#deps.clock.now());
      log.debug(() => `applied sync page ${payload.fromCursor}→${payload.toCursor}${payload.complete ? " (complete)" : ""}`);
      if (payload.complete) return;
      if (signal.aborted) return;
    }
  }

  async #fetchPage(cursor: number, signal: AbortSignal): Promise<SyncPayload> {
    const { kioskId, clock } = this.#deps;
    const central = this.#deps.central as CentralKey;
    const path = `${syncPath(kioskId)}?cursor=${cursor}`;
    const response = await this.#requests.send({ method: "GET", path, idempotencyKey: `sync:${cursor}`, headers: { Accept: "application/json" } }, signal);
    const { status } = response;
    if (status === 408 || status === 429 || status >= 500) {
      throw new PullError("central-unreachable", `Central answered ${status} to a sync pull: try again later`, retryAfterMs(response.retryAfter, clock.now()));
    }
    if (status < 200 || status >= 300) {
      throw new PullError("central-rejected", `Central refused the sync pull at cursor ${cursor} with ${status}`, retryAfterMs(response.retryAfter, clock.now()));
    }
    return verifySyncPage(response.text, { kioskId, cursor }, central);
  }
}

/**
 * Parses central's reply to a sync pull and verifies it: signed by central's
 * key over the exact payload text, for this kiosk, continuing from `cursor`.
 *
 * @throws {KioskError} `central-rejected` saying what does not check out.
 */
export async function verifySyncPage(text: string, expected: { kioskId: string; cursor: number }, central: CentralKey): Promise<SyncPayload> {
  const refuse = (reason: string): never => {
    throw new PullError("central-rejected", `Central's sync page is not acceptable: ${reason}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse("the reply is not JSON (a captive portal or proxy may have answered)");
  }
  const envelope = syncResponseSchema.safeParse(json);
  if (!envelope.success) return refuse("the reply does not match the sync response contract");
  const { payload, keyId, signature } = envelope.data;
  if (keyId !== central.keyId) return refuse(`it is signed by key "${keyId}", not central's key "${central.keyId}"`);
  if (!(await verifySignature(central.key, fromBase64Url(signature), syncSigningInput(keyId, payload)))) {
    return refuse("its signature does not verify with central's key");
  }
  let inner: unknown;
  try {
    inner = JSON.parse(payload);
  } catch {
    return refuse("the signed payload is not JSON");
  }
  const parsed = syncPayloadSchema.safeParse(inner);
  if (!parsed.success) return refuse(`the signed payload does not match the contract (${parsed.error.issues[0]?.path.join(".") || "payload"})`);
  if (parsed.data.kioskId !== expected.kioskId) return refuse(`it is for kiosk "${parsed.data.kioskId}"`);
  if (parsed.data.fromCursor !== expected.cursor) return refuse(`it starts at cursor ${parsed.data.fromCursor}, not ${expected.cursor} (a replayed page?)`);
  if (parsed.data.toCursor < parsed.data.fromCursor) return refuse("its cursor goes backwards");
  return parsed.data;
}
