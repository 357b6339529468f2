import { fromBase64Url, KIOSK_REQUEST_HEADERS, requestSigningInput, verifySignature } from "@kiosk/contracts";
import type { KioskDirectory, KioskKey } from "../ports.ts";
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

/**
 * Checks a kiosk's request signature (contracts `requestSigningInput`): the
 * body digest header matches the bytes, the key is registered, not revoked
 * and belongs to the kiosk named in the path, and the signature verifies.
 */
export class RequestAuthenticator {
  readonly #directory: KioskDirectory;
  readonly #keys: VerifyKeyCache;

  constructor(directory: KioskDirectory, keys: VerifyKeyCache) {
    this.#directory = directory;
    this.#keys = keys;
  }

  /**
   * Authenticates `request` as coming from `kioskId`.
   * @throws {UnauthorizedError} naming what is missing or wrong; nothing has been stored.
   */
  async authenticate(kioskId: string, request: SignedRequest): Promise<AuthenticatedRequest> {
    const keyId = request.header(KIOSK_REQUEST_HEADERS.keyId);
    const signature = request.header(KIOSK_REQUEST_HEADERS.signature);
    const claimedDigest = request.header(KIOSK_REQUEST_HEADERS.contentSha256);
    const idempotencyKey = request.header(KIOSK_REQUEST_HEADERS.idempotencyKey);
    const missing = [
      [KIOSK_REQUEST_HEADERS.keyId, keyId],
      [KIOSK_REQUEST_HEADERS.signature, signature],
      [KIOSK_REQUEST_HEADERS.contentSha256, claimedDigest],
      [KIOSK_REQUEST_HEADERS.idempotencyKey, idempotencyKey],
    ].filter(([, value]) => !value).map(([name]) => name);
    if (missing.length > 0 || !keyId || !signature || !claimedDigest || !idempotencyKey) {
      throw new UnauthorizedError(`Unsigned request: missing header ${missing.map((m) => `"${m}"`).join(", ")}`);
    }
    const contentSha256 = sha256HexSync(request.body);
    if (claimedDigest !== contentSha256) {
      throw new UnauthorizedError(`Header "${KIOSK_REQUEST_HEADERS.contentSha256}" does not match the body received: the body was altered or truncated`);
    }
    const key = await this.#directory.findKey(keyId);
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
      input = requestSigningInput({ method: request.method, path: request.path, idempotencyKey, contentSha256, keyId });
    } catch {
      throw new UnauthorizedError(`Header "${KIOSK_REQUEST_HEADERS.idempotencyKey}" cannot be signed (it contains a newline)`);
    }
    const valid = await verifySignature(await this.#keys.get(key.publicKey), signatureBytes, input);
    if (!valid) throw new UnauthorizedError(`Request signature does not verify with key "${keyId}" (method, path, idempotency key and body digest are signed)`);
    return { key, idempotencyKey, contentSha256 };
  }
}
