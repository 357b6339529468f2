import {
  KioskError,
  kioskIdSchema,
  MAX_SYNC_PAGE_CHANGES,
  signBase64Url,
  syncSigningInput,
  type Clock,
  type Signer,
  type SyncPayload,
  type SyncResponse,
} from "@kiosk/contracts";
import type { RequestAuthenticator, SignedRequest } from "../ingest/request-authenticator.ts";
import type { MatterStore } from "../store/matter-store.ts";

/** What the pager needs. */
export interface SyncPagerDeps {
  readonly authenticator: RequestAuthenticator;
  readonly matters: MatterStore;
  /** Central's key, the same that signs receipts. */
  readonly signer: Signer;
  readonly clock: Clock;
  /** Most changes per page; the contract's maximum unless a test wants small pages. */
  readonly pageSize?: number;
}

/** The idempotency key a kiosk signs for a sync pull from `cursor`. */
export function syncIdempotencyKey(cursor: number): string {
  return `sync:${cursor}`;
}

/**
 * Serves a kiosk's sync pull (`GET syncPath(kioskId)?cursor=N`): checks the
 * request signature like a batch's, then returns the hall's matter changes
 * and every blocklist change after the cursor as one payload text, signed
 * by central over exactly those bytes.
 */
export class SyncPager {
  readonly #deps: SyncPagerDeps;

  constructor(deps: SyncPagerDeps) {
    this.#deps = deps;
  }

  /**
   * @throws {UnauthorizedError} for a missing, unknown, foreign or invalid signature.
   * @throws {KioskError} `bad-request` for a malformed cursor or an idempotency key that does not match it.
   */
  async page(kioskIdParam: string, cursorParam: string | undefined, request: SignedRequest): Promise<SyncResponse> {
    const { authenticator, matters, signer, clock } = this.#deps;
    const kioskId = kioskIdSchema.safeParse(kioskIdParam);
    if (!kioskId.success) throw new KioskError("bad-request", `Invalid kiosk id "${kioskIdParam.slice(0, 80)}" in the path`);
    const cursorText = cursorParam ?? "0";
    const cursor = Number(cursorText);
    if (!/^\d{1,16}$/.test(cursorText) || !Number.isSafeInteger(cursor)) {
      throw new KioskError("bad-request", `Invalid cursor "${cursorText.slice(0, 40)}": expected a non-negative integer`);
    }
    const auth = await authenticator.authenticate(kioskId.data, request);
    if (auth.idempotencyKey !== syncIdempotencyKey(cursor)) {
      throw new KioskError("bad-request", `Idempotency-Key "${auth.idempotencyKey.slice(0, 100)}" does not match the cursor: expected "${syncIdempotencyKey(cursor)}"`);
    }
    const hallId = auth.key.hallId;
    const page = await matters.changesAfter(hallId, cursor, this.#deps.pageSize ?? MAX_SYNC_PAGE_CHANGES);
    const payload: SyncPayload = {
      kioskId: kioskId.data,
      hallId,
      fromCursor: cursor,
      toCursor: page.toCursor,
      complete: page.complete,
      matters: page.matters,
      blocklist: page.blocklist,
      generatedAt: new Date(clock.now()).toISOString(),
    };
    const text = JSON.stringify(payload);
    return { payload: text, keyId: signer.keyId, signature: await signBase64Url(signer, syncSigningInput(signer.keyId, text)) };
  }
}
