import { describe, expect, test } from "bun:test";
import { generateSigner, importVerifyKey, receiptSigningInput, recordStatusesDigest, signBase64Url, type BatchResponse } from "@kiosk/contracts";
import type { CentralKey } from "./central-key.ts";
import { checkBatchResponse, planSettlement } from "./receipt-check.ts";

const digest = "d".repeat(64);
const expected = { kioskId: "hall-7-k1", epoch: 1, batchDigest: digest, lastSeq: 5 };

async function fixture() {
  const signer = await generateSigner();
  const central: CentralKey = { keyId: signer.keyId, key: await importVerifyKey(signer.publicKey) };
  const results: BatchResponse["results"] = [{ seq: 4, status: "accepted" }];
  const reply = async (over: { ackThrough?: number; topAck?: number; digest?: string; listed?: BatchResponse["results"] } = {}): Promise<string> => {
    const unsigned = {
      kioskId: "hall-7-k1",
      epoch: 1,
      ackThrough: over.ackThrough ?? 3,
      batchDigest: over.digest ?? digest,
      resultsDigest: await recordStatusesDigest(results),
      receivedAt: "2026-03-01T08:00:00.000Z",
      keyId: signer.keyId,
    };
    const receipt = { ...unsigned, signature: await signBase64Url(signer, receiptSigningInput(unsigned)) };
    return JSON.stringify({ ackThrough: over.topAck ?? unsigned.ackThrough, results: over.listed ?? results, gaps: [], receipt });
  };
  return { central, reply };
}

describe("checkBatchResponse", () => {
  test("accepts a receipt signed by central for this kiosk, epoch and digest", async () => {
    const { central, reply } = await fixture();
    const check = await checkBatchResponse(await reply(), expected, central);
    expect(check.ok).toBe(true);
  });

  test("refuses HTML, contract mismatches, an unsigned ackThrough or verdict that differs, and acks beyond the kiosk's records", async () => {
    const { central, reply } = await fixture();
    const reasons = [
      await checkBatchResponse("<html>portal</html>", expected, central),
      await checkBatchResponse(JSON.stringify({ ok: true }), expected, central),
      await checkBatchResponse(await reply({ topAck: 4 }), expected, central),
      await checkBatchResponse(await reply({ digest: "e".repeat(64) }), expected, central),
      await checkBatchResponse(await reply({ listed: [{ seq: 4, status: "rejected", reason: "bad-schema" }] }), expected, central),
      await checkBatchResponse(await reply({ ackThrough: 6 }), expected, central),
    ];
    expect(reasons.map((r) => r.ok)).toEqual([false, false, false, false, false, false]);
    expect(reasons.map((r) => (r.ok ? false : r.integrity))).toEqual([false, false, false, false, false, true]);
  });

  test("refuses a receipt whose signed field was changed afterwards", async () => {
    const { central, reply } = await fixture();
    const tampered = JSON.parse(await reply()) as BatchResponse;
    tampered.receipt.ackThrough = 2;
    tampered.ackThrough = 2;
    const check = await checkBatchResponse(JSON.stringify(tampered), expected, central);
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining("signature") });
  });
});

describe("planSettlement", () => {
  const response = (ackThrough: number, results: BatchResponse["results"]): BatchResponse => ({
    ackThrough,
    results,
    gaps: [],
    receipt: { kioskId: "k-1", epoch: 1, ackThrough, batchDigest: digest, resultsDigest: digest, receivedAt: "2026-03-01T08:00:00.000Z", keyId: "c", signature: "AA" },
  });

  test("acks what central stored, quarantines what it refused, keeps unknown records above ackThrough pending", () => {
    const plan = planSettlement(
      [3, 4, 5, 6, 7],
      response(4, [
        { seq: 3, status: "duplicate" },
        { seq: 5, status: "rejected", reason: "conflict", message: "seq 5 held with body 11010519491231002X" },
        { seq: 6, status: "accepted" },
      ]),
    );
    expect(plan.acked).toEqual([3, 4, 6]);
    expect(plan.pending).toEqual([7]);
    expect(plan.conflicts).toEqual([5]);
    expect(plan.quarantined).toEqual([{ seq: 5, reason: "conflict", message: "seq 5 held with body [id-number]" }]);
  });
});
