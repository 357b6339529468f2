import { fromBase64Url, importVerifyKey, KioskError, keyIdOf } from "@kiosk/contracts";

/** Central's public key, which signs receipts and sync pages. */
export interface CentralKey {
  readonly keyId: string;
  readonly key: CryptoKey;
}

/**
 * Imports central's raw Ed25519 public key from base64 (standard or url
 * alphabet). Its key id is derived from the key; when `expectedKeyId` is
 * given it must match, so a wrongly pasted key is caught at start.
 *
 * @throws {KioskError} `config-invalid` when the key is malformed or does not match `expectedKeyId`.
 */
export async function importCentralKey(publicKeyBase64: string, expectedKeyId?: string): Promise<CentralKey> {
  let raw: Uint8Array;
  try {
    raw = fromBase64Url(publicKeyBase64.trim().replaceAll("+", "-").replaceAll("/", "_"));
  } catch (cause) {
    throw new KioskError("config-invalid", "Central's public key (sync.centralPublicKey) is not base64", { cause });
  }
  if (raw.length !== 32) {
    throw new KioskError("config-invalid", `Central's public key (sync.centralPublicKey) must be 32 bytes, found ${raw.length}`);
  }
  const keyId = await keyIdOf(raw);
  if (expectedKeyId !== undefined && expectedKeyId !== keyId) {
    throw new KioskError("config-invalid", `Central's public key has key id "${keyId}", but sync.centralKeyId says "${expectedKeyId}"`);
  }
  return { keyId, key: await importVerifyKey(raw) };
}
