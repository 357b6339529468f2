import { afterEach, describe, expect, test } from "bun:test";
import { importVerifyKey, isKioskError, verifySignature } from "@kiosk/contracts";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateDataKey, loadOrCreateSigningKey } from "./key-file.ts";

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
const fresh = () => (dir = mkdtempSync(join(tmpdir(), "key-file-")));

describe("loadOrCreateSigningKey", () => {
  test("creates a 0600 key file once and loads the same key afterwards", async () => {
    const path = join(fresh(), "keys", "kiosk.key");
    const first = await loadOrCreateSigningKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateSigningKey(path);
    expect(again.keyId).toBe(first.keyId);
    const bytes = new TextEncoder().encode("hello");
    expect(await verifySignature(await importVerifyKey(first.publicKey), await again.sign(bytes), bytes)).toBe(true);
  });

  test("refuses a key file other users can read, saying how to fix it", async () => {
    const path = join(fresh(), "kiosk.key");
    await loadOrCreateSigningKey(path);
    chmodSync(path, 0o644);
    await expect(loadOrCreateSigningKey(path)).rejects.toThrow(`chmod 600 ${path}`);
  });

  test("refuses a malformed key file", async () => {
    const path = join(fresh(), "kiosk.key");
    writeFileSync(path, "{nope", { mode: 0o600 });
    try {
      await loadOrCreateSigningKey(path);
      throw new Error("expected a failure");
    } catch (error) {
      expect(isKioskError(error, "config-invalid")).toBe(true);
    }
  });
});

describe("loadOrCreateDataKey", () => {
  test("creates a 256-bit AES-GCM key that decrypts what it encrypted after reloading", async () => {
    const path = join(fresh(), "data.key");
    const key = await loadOrCreateDataKey(path);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode("110101198001010037"));
    const reloaded = await loadOrCreateDataKey(path);
    expect(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, reloaded, sealed))).toBe("110101198001010037");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test("refuses a key of the wrong size", async () => {
    const path = join(fresh(), "data.key");
    writeFileSync(path, Buffer.from("short").toString("base64"), { mode: 0o600 });
    await expect(loadOrCreateDataKey(path)).rejects.toThrow("must hold 32 bytes");
  });
});
