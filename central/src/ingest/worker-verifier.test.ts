import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner, silentLogger } from "@kiosk/contracts";
import { captureLogger } from "@kiosk/contracts/testing";
import type { SignatureCheck } from "../ports.ts";
import { VerifyKeyCache } from "./verify-key-cache.ts";
import { WebCryptoVerifier } from "./web-crypto-verifier.ts";
import { WorkerVerifier } from "./worker-verifier.ts";

async function checks(count: number, signers = 1): Promise<SignatureCheck[]> {
  const keys = await Promise.all(Array.from({ length: signers }, () => generateSigner()));
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const signer = keys[i % signers]!;
      const message = new TextEncoder().encode(`record ${i}`);
      return { publicKey: signer.publicKey, signature: await signer.sign(message), message };
    }),
  );
}

describe("WorkerVerifier", () => {
  let pool: WorkerVerifier | undefined;
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  test("agrees with Web Crypto on valid, altered, wrong-key and malformed signatures, in order", async () => {
    pool = new WorkerVerifier(2, silentLogger);
    await pool.start();
    const all = await checks(300, 3);
    all[5] = { ...all[5]!, message: new TextEncoder().encode("record 5 changed") };
    all[77] = { ...all[77]!, publicKey: all[78]!.publicKey };
    all[150] = { ...all[150]!, signature: all[150]!.signature.slice(0, 63) };
    all[299] = { ...all[299]!, publicKey: new Uint8Array(32) };
    const expected = await new WebCryptoVerifier(new VerifyKeyCache()).verifyAll(all);
    expect(expected.filter((v) => !v)).toHaveLength(4);
    expect(await pool.verifyAll(all)).toEqual(expected);
    expect(await pool.verifyAll([])).toEqual([]);
  });

  test("refuses work before start and fails pending work at stop", async () => {
    pool = new WorkerVerifier(1, silentLogger);
    await expect(pool.verifyAll(await checks(1))).rejects.toThrow("not started");
    await pool.start();
    const pending = pool.verifyAll(await checks(200));
    await pool.stop();
    await expect(pending).rejects.toThrow("stopped");
    expect(() => new WorkerVerifier(0, silentLogger)).toThrow(RangeError);
  });

  test("a crashed worker fails only its own call and is replaced", async () => {
    const { log, records } = captureLogger();
    pool = new WorkerVerifier(1, log, { workerUrl: new URL("./testdata/crashing-verify-worker.ts", import.meta.url).href });
    await pool.start();
    await expect(pool.verifyAll(await checks(13))).rejects.toThrow("crashed");
    expect(records.some((r) => r.msg.includes("replacing it"))).toBe(true);
    expect(await pool.verifyAll(await checks(20))).toEqual(Array.from({ length: 20 }, () => true));
  });
});
