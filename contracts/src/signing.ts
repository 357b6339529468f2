/**
 * Ed25519 signing and verification through Web Crypto (available on Bun and
 * Deno). Keys are identified by a key id derived from the public key, so a
 * key id can never silently point at a different key.
 */
import { sha256Hex, toBase64Url } from "./upstream.ts";

/** Something that signs bytes with a private key it keeps to itself. */
export interface Signer {
  /** Identifier of the public key, from {@linkcode keyIdOf}. */
  readonly keyId: string;
  /** The raw 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** The 64-byte Ed25519 signature of `bytes`. */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

const ED25519 = { name: "Ed25519" } as const;

/** `ed25519:` plus the first 32 hex characters of the public key's SHA-256. */
export async function keyIdOf(publicKey: Uint8Array): Promise<string> {
  return `ed25519:${(await sha256Hex(publicKey)).slice(0, 32)}`;
}

/** A signer over a Web Crypto private key. */
export async function signerFromKeyPair(privateKey: CryptoKey, publicKey: Uint8Array): Promise<Signer> {
  const keyId = await keyIdOf(publicKey);
  return {
    keyId,
    publicKey,
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, bytes.slice().buffer)),
  };
}

/** Imports a raw 32-byte Ed25519 public key for verification. */
export function importVerifyKey(publicKey: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", publicKey.slice().buffer, ED25519, true, ["verify"]);
}

/** True when `signature` is a valid Ed25519 signature of `bytes` by `key`. Never throws on malformed signatures. */
export async function verifySignature(key: CryptoKey, signature: Uint8Array, bytes: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify(ED25519, key, signature.slice().buffer, bytes.slice().buffer);
  } catch {
    return false;
  }
}

/** A fresh in-memory Ed25519 signer (tests, simulators); its private key cannot be exported. */
export async function generateSigner(): Promise<Signer> {
  const pair = (await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return signerFromKeyPair(pair.privateKey, publicKey);
}

/** Signs `bytes` and returns the signature as base64url, the form used on the wire. */
export async function signBase64Url(signer: Signer, bytes: Uint8Array): Promise<string> {
  return toBase64Url(await signer.sign(bytes));
}
