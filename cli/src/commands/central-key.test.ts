import { describe, expect, test } from "bun:test";
import { keyIdOf } from "@kiosk/contracts";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "main.ts");

describe("./kiosk central key", () => {
  test("creates the receipt key file (0600) once and prints the same public key and key id every time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "central-key-"));
    try {
      const keyPath = join(dir, "keys", "receipt.key");
      const run = async () => {
        const proc = Bun.spawn([process.execPath, CLI, "central", "key"], {
          env: { PATH: process.env["PATH"] ?? "", KIOSK_CENTRAL_KEYS_RECEIPT_KEY_PATH: keyPath },
          stdout: "pipe",
          stderr: "pipe",
        });
        const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
        return { code, key: JSON.parse(stdout) as { algorithm: string; keyId: string; publicKey: string }, stderr };
      };
      const first = await run();
      expect(first.code).toBe(0);
      expect(first.key.algorithm).toBe("ed25519");
      expect(first.key.keyId).toBe(await keyIdOf(new Uint8Array(Buffer.from(first.key.publicKey, "base64"))));
      expect(first.stderr).toContain(`KIOSK_EDGE_SYNC_CENTRAL_KEY_ID=${first.key.keyId}`);
      expect(statSync(keyPath).mode & 0o777).toBe(0o600);
      expect((await run()).key).toEqual(first.key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
