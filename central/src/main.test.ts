import { afterEach, describe, expect, test } from "bun:test";
import { batchResponseSchema, fromBase64Url, importVerifyKey, isKioskError, receiptSigningInput, sha256Hex, verifySignature } from "@kiosk/contracts";
import { captureLogger } from "@kiosk/contracts/testing";
import { makeTestCertificates } from "@kiosk/runtime/testing";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiToken, readCentralKey, registerKiosk } from "./admin.ts";
import { loadCentralConfig } from "./config.ts";
import { startCentral, type CentralRuntime } from "./main.ts";
import { testBackends, type TestDatabase } from "./testing/test-databases.ts";
import { TestKiosk } from "./testing/test-kiosk.ts";

for (const backend of testBackends()) {
  describe(`central over real HTTP on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    let central: CentralRuntime | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      await central?.stop();
      await db?.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
      central = undefined;
      db = undefined;
      dir = undefined;
    });

    test("a kiosk registered by the admin function uploads a gzip batch and gets a receipt signed by the key on file", async () => {
      db = await backend.create({ migrated: false });
      dir = mkdtempSync(join(tmpdir(), "central-main-"));
      const overrides: Record<string, unknown> = {
        "http.port": 0,
        "keys.receiptKeyPath": join(dir, "keys", "receipt.key"),
        "database.sqlitePath": db.target.sqlitePath || join(dir, "unused.db"),
      };
      if (db.target.url) overrides["database.url"] = db.target.url;
      const config = loadCentralConfig({}, overrides);
      const { log } = captureLogger();
      central = await startCentral(config, { log });
      expect(statSync(config.keys.receiptKeyPath).mode & 0o777).toBe(0o600);
      const published = await (await fetch(`${central.url}/api/v1/central-key`)).json();
      expect(published).toEqual(await readCentralKey(config));

      const kiosk = await TestKiosk.create("hall-a-k1");
      const registered = await registerKiosk(config, { kioskId: kiosk.kioskId, hallId: "hall-a", publicKey: kiosk.signer.publicKey });
      expect(registered.created).toBe(true);
      // Record signatures are checked on worker threads here: one tampered record among 30.
      const records = await kiosk.records(30);
      const tampered = { ...records[7]!, createdAt: "2026-11-24T00:00:00.000Z" };
      const request = await kiosk.batch([...records.slice(0, 7), tampered, ...records.slice(8)], { gzip: true });
      const res = await fetch(`${central.url}${request.path}`, request.init);
      expect(res.status).toBe(200);
      const reply = batchResponseSchema.parse(await res.json());
      expect(reply.ackThrough).toBe(30);
      expect(reply.results.filter((r) => r.status !== "accepted")).toEqual([
        { seq: 8, status: "rejected", reason: "bad-signature", message: expect.stringContaining("changed after it was signed") },
      ]);
      expect(reply.receipt.batchDigest).toBe(await sha256Hex(request.body));
      const { signature, ...unsigned } = reply.receipt;
      const key = await importVerifyKey(new Uint8Array(Buffer.from((published as { publicKey: string }).publicKey, "base64")));
      expect(await verifySignature(key, fromBase64Url(signature), receiptSigningInput(unsigned))).toBe(true);

      const { token } = await createApiToken(config, "registration-system");
      const matter = await fetch(`${central.url}/api/v1/matters/M-1`, { headers: { authorization: `Bearer ${token}` } });
      expect(matter.status).toBe(404);
    });

    test("with a certificate and key configured, central serves HTTPS only, and a kiosk trusting its CA gets a receipt", async () => {
      db = await backend.create({ migrated: false });
      dir = mkdtempSync(join(tmpdir(), "central-main-"));
      const certs = makeTestCertificates();
      try {
        const overrides: Record<string, unknown> = {
          "http.port": 0,
          "http.tlsCertFile": certs.certFile,
          "http.tlsKeyFile": certs.keyFile,
          "keys.receiptKeyPath": join(dir, "keys", "receipt.key"),
          "database.sqlitePath": db.target.sqlitePath || join(dir, "unused.db"),
        };
        if (db.target.url) overrides["database.url"] = db.target.url;
        const config = loadCentralConfig({}, overrides);
        central = await startCentral(config, { log: captureLogger().log });
        expect(central.url).toStartWith("https://127.0.0.1:");
        const kiosk = await TestKiosk.create("hall-a-k1");
        await registerKiosk(config, { kioskId: kiosk.kioskId, hallId: "hall-a", publicKey: kiosk.signer.publicKey });
        const request = await kiosk.batch(await kiosk.records(2), { gzip: true });
        const res = await fetch(`${central.url}${request.path}`, { ...request.init, tls: { ca: certs.ca } });
        expect(res.status).toBe(200);
        expect(batchResponseSchema.parse(await res.json()).ackThrough).toBe(2);
        await expect(fetch(`${central.url}/api/health`, { tls: { ca: readFileSync(certs.otherCaFile, "utf8") } })).rejects.toThrow();
        await expect(fetch(`${central.url.replace("https:", "http:")}/api/health`)).rejects.toThrow();
      } finally {
        certs.remove();
      }
    });
  });
}

describe("central TLS settings", () => {
  test("a certificate without its key (or the reverse) is refused at load", () => {
    expect(() => loadCentralConfig({ KIOSK_CENTRAL_HTTP_TLS_CERT_FILE: "/etc/central/cert.pem" })).toThrow("http.tlsCertFile and http.tlsKeyFile go together");
    expect(() => loadCentralConfig({ KIOSK_CENTRAL_HTTP_TLS_KEY_FILE: "/etc/central/key.pem" })).toThrow("go together");
  });

  test("an unreadable certificate file stops the start with config-invalid", async () => {
    const config = loadCentralConfig({}, { "http.port": 0, "http.tlsCertFile": "/nonexistent/cert.pem", "http.tlsKeyFile": "/nonexistent/key.pem" });
    const error = await startCentral(config, { log: captureLogger().log }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "config-invalid")).toBe(true);
    expect((error as Error).message).toContain('http.tlsCertFile "/nonexistent/cert.pem"');
  });
});
