import { importVerifyKey } from "@kiosk/contracts";

// Enough for every key of a large province; past it the cache simply starts over.
const MAX_KEYS = 20_000;

/**
 * Imported Web Crypto verification keys, keyed by the raw key bytes, so a
 * kiosk's key is imported once, not once per request.
 */
export class VerifyKeyCache {
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  /** The verification key for `publicKey` (raw Ed25519). */
  get(publicKey: Uint8Array): Promise<CryptoKey> {
    const cacheKey = Buffer.from(publicKey).toString("base64");
    let key = this.#keys.get(cacheKey);
    if (!key) {
      if (this.#keys.size >= MAX_KEYS) this.#keys.clear();
      key = importVerifyKey(publicKey);
      // A failed import must not stay cached.
      key.catch(() => this.#keys.delete(cacheKey));
      this.#keys.set(cacheKey, key);
    }
    return key;
  }
}
