/**
 * Encryption of personal data at rest. The store seals every personal field
 * before it reaches SQLite, binding each ciphertext to the row it belongs to
 * (additional authenticated data), so a ciphertext copied into another row
 * does not decrypt.
 */
import { KioskError } from "@kiosk/contracts";

/**
 * Seals and opens personal data. The file-key implementation is
 * {@linkcode createAesGcmSealer}; a TPM-backed one can replace it.
 */
export interface DataSealer {
  /** Encrypts `plaintext`, authenticating `aad` with it. */
  seal(plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /**
   * Decrypts what {@linkcode DataSealer.seal} returned for the same `aad`.
   * @throws {KioskError} `store-failed` (not retryable) when the ciphertext
   *   was altered, moved to another row, or sealed under another key.
   */
  open(sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /**
   * A keyed one-way token of `text` (64 lower-case hex characters) for
   * equality lookups without storing `text`. Without the key, the token
   * cannot be tested against guessed card numbers.
   */
  lookupToken(text: string): Promise<string>;
}

// Sealed layout: version byte, 96-bit random IV, AES-GCM ciphertext with its 128-bit tag.
const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();

// The lookup key is derived by encrypting zeros under a fixed IV that random
// sealing IVs never hit (2^-96): the output is AES-CTR keystream, a PRF of the
// data key. The data key is non-extractable, so HKDF cannot be used on it.
const LOOKUP_KEY_IV = new Uint8Array(IV_BYTES).fill(0xff);
const LOOKUP_KEY_AAD = encoder.encode("shiming-kiosk/lookup-key/v1");

function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/**
 * A {@linkcode DataSealer} over an AES-256-GCM key, such as the one from
 * `loadOrCreateDataKey` in `@kiosk/runtime`.
 */
export async function createAesGcmSealer(key: CryptoKey): Promise<DataSealer> {
  const material = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: LOOKUP_KEY_IV, additionalData: LOOKUP_KEY_AAD }, key, new Uint8Array(32)),
  ).slice(0, 32);
  const lookupKey = await crypto.subtle.importKey("raw", material, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  material.fill(0);

  return {
    async seal(plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: buffer(aad) }, key, buffer(plaintext)));
      const out = new Uint8Array(1 + IV_BYTES + ciphertext.length);
      out[0] = FORMAT_V1;
      out.set(iv, 1);
      out.set(ciphertext, 1 + IV_BYTES);
      return out;
    },
    async open(sealed, aad) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) {
        throw new KioskError("store-failed", `Cannot decrypt stored personal data: unknown format (${sealed.length} bytes)`, { retryable: false });
      }
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: sealed.slice(1, 1 + IV_BYTES), additionalData: buffer(aad) },
          key,
          sealed.slice(1 + IV_BYTES),
        );
        return new Uint8Array(plain);
      } catch (cause) {
        throw new KioskError("store-failed", "Cannot decrypt stored personal data: it was altered, moved, or sealed under another key", {
          cause,
          retryable: false,
        });
      }
    },
    async lookupToken(text) {
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", lookupKey, encoder.encode(text)));
      let hex = "";
      for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
      return hex;
    },
  };
}
