import { afterEach, describe, expect, test } from "bun:test";
import { importVerifyKey, isKioskError, verifySignature } from "@kiosk/contracts";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
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

describe("creating one key file from several processes at once", () => {
  const KEY_FILE_MODULE = join(import.meta.dir, "key-file.ts");
  // Each process loads the module, says "ready", waits for the go on stdin,
  // creates or loads the key, and prints what identifies it: the signing
  // key's id, or the data key's ciphertext of a fixed text under a fixed IV.
  const childScript = (kind: "signing" | "data", path: string): string => `
    import { loadOrCreateDataKey, loadOrCreateSigningKey } from ${JSON.stringify(KEY_FILE_MODULE)};
    process.stdout.write("ready\\n");
    for await (const _ of Bun.stdin.stream()) break;
    let id;
    if (${JSON.stringify(kind)} === "signing") {
      id = (await loadOrCreateSigningKey(${JSON.stringify(path)})).keyId;
    } else {
      const key = await loadOrCreateDataKey(${JSON.stringify(path)});
      id = Buffer.from(await crypto.subtle.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, key, new Uint8Array(16))).toString("hex");
    }
    process.stdout.write(id + "\\n");
  `;

  async function race(kind: "signing" | "data", path: string, processes: number): Promise<string[]> {
    const children = Array.from({ length: processes }, () =>
      Bun.spawn([process.execPath, "-e", childScript(kind, path)], { stdin: "pipe", stdout: "pipe", stderr: "pipe" }),
    );
    const readers = children.map((child) => child.stdout.getReader());
    const decoder = new TextDecoder();
    // Wait until every process is ready, then release them together.
    await Promise.all(
      readers.map(async (reader) => {
        const { value } = await reader.read();
        expect(decoder.decode(value)).toBe("ready\n");
      }),
    );
    for (const child of children) {
      child.stdin.write("go\n");
      await child.stdin.end();
    }
    return Promise.all(
      children.map(async (child, i) => {
        let text = "";
        for (;;) {
          const { value, done } = await readers[i]!.read();
          if (done) break;
          text += decoder.decode(value);
        }
        const code = await child.exited;
        if (code !== 0) throw new Error(`Key process ${i} exited with "${code}": ${await new Response(child.stderr).text()}`);
        return text.trim();
      }),
    );
  }

  for (const kind of ["signing", "data"] as const) {
    test(`every process ends up with the same ${kind} key, and no temporary file is left`, async () => {
      const root = fresh();
      for (let round = 0; round < 8; round++) {
        const keys = await race(kind, join(root, `round-${round}`, "kiosk.key"), 4);
        expect(keys[0]).toMatch(/\S/);
        expect(new Set(keys).size).toBe(1);
        expect(readdirSync(join(root, `round-${round}`))).toEqual(["kiosk.key"]);
      }
    }, 60_000);
  }
});
