import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner, keyIdOf } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { SqlKioskDirectory } from "./sql-kiosk-directory.ts";

for (const backend of testBackends()) {
  describe(`SqlKioskDirectory on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("registers a key under its derived id, idempotently, and moves the kiosk between halls", async () => {
      db = await backend.create();
      const directory = new SqlKioskDirectory(db);
      const signer = await generateSigner();
      const first = await directory.register({ kioskId: "hall-a-k1", hallId: "hall-a", publicKey: signer.publicKey }, 1000);
      expect(first).toMatchObject({ created: true, hallChanged: false, key: { keyId: await keyIdOf(signer.publicKey), kioskId: "hall-a-k1", hallId: "hall-a" } });
      expect(first.key.publicKey).toEqual(signer.publicKey);
      const again = await directory.register({ kioskId: "hall-a-k1", hallId: "hall-b", publicKey: signer.publicKey }, 2000);
      expect(again).toMatchObject({ created: false, hallChanged: true, key: { hallId: "hall-b", registeredAtMs: 1000 } });
      expect(await directory.hallOf("hall-a-k1")).toBe("hall-b");
      expect(await directory.hallOf("nope-k1")).toBeUndefined();
      const second = await generateSigner();
      await directory.register({ kioskId: "hall-a-k1", hallId: "hall-b", publicKey: second.publicKey, keyId: "kiosk-a1-key-2" }, 3000);
      const keys = await directory.findKeys([signer.keyId, "kiosk-a1-key-2", "unknown"]);
      expect([...keys.keys()].sort()).toEqual(["kiosk-a1-key-2", signer.keyId].sort());
    });

    test("refuses a key already owned by another kiosk, a reused key id, a wrong-length key and a revoked key", async () => {
      db = await backend.create();
      const directory = new SqlKioskDirectory(db);
      const signer = await generateSigner();
      await directory.register({ kioskId: "hall-a-k1", hallId: "hall-a", publicKey: signer.publicKey }, 1000);
      await expect(directory.register({ kioskId: "hall-a-k2", hallId: "hall-a", publicKey: signer.publicKey }, 1000)).rejects.toThrow('belongs to kiosk "hall-a-k1"');
      const other = await generateSigner();
      await expect(directory.register({ kioskId: "hall-a-k2", hallId: "hall-a", publicKey: other.publicKey, keyId: signer.keyId }, 1000)).rejects.toThrow(
        "already registered",
      );
      await expect(directory.register({ kioskId: "hall-a-k2", hallId: "hall-a", publicKey: new Uint8Array(31) }, 1000)).rejects.toThrow("32 bytes");
      await expect(directory.register({ kioskId: "Bad Id", hallId: "hall-a", publicKey: other.publicKey }, 1000)).rejects.toThrow("Invalid kiosk id");
      expect(await directory.revoke(signer.keyId, 5000)).toBe(true);
      expect(await directory.revoke(signer.keyId, 6000)).toBe(true);
      expect(await directory.revoke("unknown", 6000)).toBe(false);
      expect((await directory.findKey(signer.keyId))?.revokedAtMs).toBe(5000);
      await expect(directory.register({ kioskId: "hall-a-k1", hallId: "hall-a", publicKey: signer.publicKey }, 7000)).rejects.toThrow("revoked");
      expect(await directory.hallOf("hall-a-k2")).toBeUndefined();
    });
  });
}
