import { verifySignature } from "@kiosk/contracts";
import type { SignatureCheck, SignatureVerifier } from "../ports.ts";
import type { VerifyKeyCache } from "./verify-key-cache.ts";

/** {@linkcode SignatureVerifier} on the calling thread, through Web Crypto (all checks of a call concurrently). */
export class WebCryptoVerifier implements SignatureVerifier {
  readonly #keys: VerifyKeyCache;

  constructor(keys: VerifyKeyCache) {
    this.#keys = keys;
  }

  async verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    return Promise.all(checks.map(async (check) => verifySignature(await this.#keys.get(check.publicKey), check.signature, check.message)));
  }
}
