import {
  fromBase64Url,
  KIOSK_REQUEST_HEADERS,
  KioskError,
  requestNonceSchema,
  requestSigningInput,
  verifySignature,
  type Clock,
  type RequestExpiredDetails,
} from "@kiosk/contracts";
import type { KioskDirectory, KioskKey, SeenNonces } from "../ports.ts";
import { UnauthorizedError } from "../unauthorized-error.ts";
import { sha256HexSync } from "./sha256-hex-sync.ts";
import type { VerifyKeyCache } from "./verify-key-cache.ts";

/** A kiosk request as received, before its body is decoded. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly path: string;
  /** Reads a request header (case-insensitive). */
  readonly header: (name: string) => string | undefined;
  /** The body bytes as received (still compressed, if they were sent so). */
  readonly body: Uint8Array;
}

/** A request whose signature verified with a key of the kiosk in its path. */
export interface AuthenticatedRequest {
  readonly key: KioskKey;
  readonly idempotencyKey: string;
  /** SHA-256 of the body as received; also the receipt's `batchDigest`. */
  readonly contentSha256: string;
}

/** What {@linkcode RequestAuthenticator} needs. */
export interface RequestAuthenticatorDeps {
  readonly directory: KioskDirectory;
  readonly keys: VerifyKeyCache;
  /** Nonces seen within the window, shared with every central process on the database. */
  readonly nonces: SeenNonces;
  /** Central's clock, the one request timestamps are held against. */
  readonly clock: Clock;
  /** Largest difference between a request's timestamp and central's clock, either way, in milliseconds. */
  readonly windowMs: number;
}

// An ISO 8601 UTC instant as `Date.toISOString` writes it (years 0000-9999).
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Checks a kiosk's signed request (contracts `requestSigningInput`), cheapest
 * check first: every header is there; the timestamp is within the window of
 * central's clock; the body digest header matches the bytes; the key is
 * registered, not revoked and belongs to the kiosk named in the path; the
 * signature verifies; and only then, so that nobody without the key can use
 * up a kiosk's nonces, the nonce is new within the window.
 */
export class RequestAuthenticator {
  readonly #deps: RequestAuthenticatorDeps;

  constructor(deps: RequestAuthenticatorDeps) {
    this.#deps = deps;
  }

  /**
   * Authenticates `request` as coming from `kioskId`.
   * @throws {UnauthorizedError} naming what is missing or wrong; nothing has been stored.
   * @throws {KioskError} `request-expired` when the timestamp is outside the
   *   window, with central's time in its details ({@linkcode RequestExpiredDetails});
   *   `request-replayed` when the nonce was seen within the window.
   */
  async authenticate(kioskId: string, request: SignedRequest): Promise<AuthenticatedRequest> {
    const h = KIOSK_REQUEST_HEADERS;
    const keyId = request.header(h.keyId);
    const signature = request.header(h.signature);
    const claimedDigest = request.header(h.contentSha256);
    const idempotencyKey = request.header(h.idempotencyKey);
    const timestamp = request.header(h.timestamp);
    const nonce = request.header(h.nonce);
    const missing = [
      [h.keyId, keyId],
      [h.signature, signature],
      [h.contentSha256, claimedDigest],
      [h.idempotencyKey, idempotencyKey],
      [h.timestamp, timestamp],
      [h.nonce, nonce],
    ].filter(([, value]) => !value).map(([name]) => name);
    if (missing.length > 0 || !keyId || !signature || !claimedDigest || !idempotencyKey || !timestamp || !nonce) {
      throw new UnauthorizedError(`Unsigned request: missing header ${missing.map((m) => `"${m}"`).join(", ")}`);
    }
    const requestTimeMs = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(requestTimeMs)) {
      throw new UnauthorizedError(`Header "${h.timestamp}" is not an ISO 8601 UTC time: "${timestamp.slice(0, 40)}"`);
    }
    if (!requestNonceSchema.safeParse(nonce).success) throw new UnauthorizedError(`Header "${h.nonce}" is not 16-64 base64url characters`);
    const nowMs = this.#deps.clock.now();
    this.#checkWindow(requestTimeMs, nowMs);
    const contentSha256 = sha256HexSync(request.body);
    if (claimedDigest !== contentSha256) {
      throw new UnauthorizedError(`Header "${KIOSK_REQUEST_HEADERS.contentSha256}" does not match the body received: the body was altered or truncated`);
    }
    const key = await this.#deps.directory.findKey(keyId);
    if (!key) {
      throw new UnauthorizedError(`Key "${keyId.slice(0, 128)}" is not registered at central: register it with "./kiosk central register-kiosk"`, { retryable: true });
    }
    if (key.kioskId !== kioskId) {
      throw new UnauthorizedError(`Key "${keyId}" belongs to another kiosk than "${kioskId}": a request replayed from another device is refused`);
    }
    if (key.revokedAtMs !== undefined) throw new UnauthorizedError(`Key "${keyId}" of kiosk "${kioskId}" is revoked`);
    let signatureBytes: Uint8Array;
    try {
      signatureBytes = fromBase64Url(signature);
    } catch {
      throw new UnauthorizedError(`Header "${KIOSK_REQUEST_HEADERS.signature}" is not base64url`);
    }
    let input: Uint8Array;
    try {
      input = requestSigningInput({ method: request.method, path: request.path, idempotencyKey, contentSha256, keyId, timestamp, nonce });
    } catch {
      throw new UnauthorizedError(`Header "${KIOSK_REQUEST_HEADERS.idempotencyKey}" cannot be signed (it contains a newline)`);
    }
    const valid = await verifySignature(await this.#deps.keys.get(key.publicKey), signatureBytes, input);
    if (!valid) {
      throw new UnauthorizedError(`Request signature does not verify with key "${keyId}" (method, path, idempotency key, body digest, timestamp and nonce are signed)`);
    }
    // A nonce is remembered until its timestamp leaves the window: a replay after that is refused as expired.
    if (!(await this.#deps.nonces.claim(keyId, nonce, requestTimeMs + this.#deps.windowMs, nowMs))) {
      throw new KioskError("request-replayed", `Request nonce "${nonce}" of key "${keyId}" was already used: a request is accepted once, a retry must be signed again`);
    }
    return { key, idempotencyKey, contentSha256 };
  }

  #checkWindow(requestTimeMs: number, nowMs: number): void {
    const { windowMs } = this.#deps;
    const skewMs = requestTimeMs - nowMs;
    if (Math.abs(skewMs) <= windowMs) return;
    const details: RequestExpiredDetails = {
      centralTime: new Date(nowMs).toISOString(),
      requestTime: new Date(requestTimeMs).toISOString(),
      skewMs,
      windowMs,
    };
    const direction = skewMs < 0 ? "behind" : "ahead of";
    throw new KioskError(
      "request-expired",
      `Request timestamp "${details.requestTime}" is ${Math.abs(skewMs)} ms ${direction} central's clock "${details.centralTime}", outside the ${windowMs} ms window: correct the kiosk clock by ${-skewMs} ms and sign again`,
      { details },
    );
  }
}
