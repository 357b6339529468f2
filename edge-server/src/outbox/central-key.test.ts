import { describe, expect, test } from "bun:test";
import { generateSigner, isKioskError } from "@kiosk/contracts";
import { importCentralKey } from "./central-key.ts";

describe("importCentralKey", () => {
  test("imports standard or url base64 and derives the key id; a mismatching key id or a bad key is config-invalid", async () => {
    const signer = await generateSigner();
    const b64 = Buffer.from(signer.publicKey).toString("base64");
    expect((await importCentralKey(b64)).keyId).toBe(signer.keyId);
    expect((await importCentralKey(Buffer.from(signer.publicKey).toString("base64url"), signer.keyId)).keyId).toBe(signer.keyId);
    for (const attempt of [() => importCentralKey(b64, "ed25519:0000"), () => importCentralKey("AAAA"), () => importCentralKey("***")]) {
      try {
        await attempt();
        throw new Error("expected a failure");
      } catch (error) {
        expect(isKioskError(error, "config-invalid")).toBe(true);
      }
    }
  });
});
