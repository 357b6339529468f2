import { describe, expect, test } from "bun:test";
import { generateSigner, importVerifyKey, keyIdOf, signBase64Url, verifySignature } from "./signing.ts";
import { fromBase64Url } from "./upstream.ts";

describe("Ed25519 signing", () => {
  test("a signature verifies with the signer's public key and not after any change", async () => {
    const signer = await generateSigner();
    const bytes = new TextEncoder().encode("record 7");
    const signature = fromBase64Url(await signBase64Url(signer, bytes));
    const key = await importVerifyKey(signer.publicKey);
    expect(await verifySignature(key, signature, bytes)).toBe(true);
    expect(await verifySignature(key, signature, new TextEncoder().encode("record 8"))).toBe(false);
    const flipped = signature.slice();
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(await verifySignature(key, flipped, bytes)).toBe(false);
    expect(await verifySignature(key, signature.subarray(0, 10), bytes)).toBe(false);
  });

  test("another key does not verify, and key ids differ", async () => {
    const [a, b] = [await generateSigner(), await generateSigner()];
    const bytes = new TextEncoder().encode("x");
    expect(await verifySignature(await importVerifyKey(b.publicKey), await a.sign(bytes), bytes)).toBe(false);
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.keyId).toBe(await keyIdOf(a.publicKey));
    expect(a.keyId).toMatch(/^ed25519:[0-9a-f]{32}$/);
  });
});
