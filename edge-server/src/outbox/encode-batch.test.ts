import { describe, expect, test } from "bun:test";
import type { UpstreamRecord } from "@kiosk/contracts";
import { encodeBatch } from "./encode-batch.ts";

function record(seq: number, bodyChars: number): UpstreamRecord {
  return {
    seq,
    eventId: crypto.randomUUID(),
    kind: "verification-result",
    schemaVersion: 1,
    createdAt: "2026-03-01T08:00:00.000Z",
    bootId: crypto.randomUUID(),
    body: JSON.stringify({ text: "名".repeat(bodyChars) }),
    bodySha256: "a".repeat(64),
    prevHash: "0".repeat(64),
    keyId: "ed25519:abc",
    signature: "AAAA",
  };
}

describe("encodeBatch", () => {
  test("is exactly the BatchRequest JSON", () => {
    const batch = { kioskId: "hall-7-k1", epoch: 3, records: [record(1, 5), record(2, 5)], unreadable: [] };
    const encoded = encodeBatch(batch, 1 << 20);
    expect(encoded.json).toBe(JSON.stringify({ kioskId: "hall-7-k1", epoch: 3, records: batch.records }));
    expect(encoded.records).toHaveLength(2);
  });

  test("stops before the UTF-8 size limit, but always takes the first record", () => {
    const batch = { kioskId: "hall-7-k1", epoch: 1, records: [1, 2, 3, 4].map((s) => record(s, 1_000)), unreadable: [] };
    const one = new TextEncoder().encode(JSON.stringify(batch.records[0])).length;
    const limit = 120 + 2 * one;
    const encoded = encodeBatch(batch, limit);
    expect(encoded.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(new TextEncoder().encode(encoded.json).length).toBeLessThanOrEqual(limit);
    expect(encodeBatch(batch, 10).records.map((r) => r.seq)).toEqual([1]);
  });
});
