import { describe, expect, test } from "bun:test";
import {
  batchIdempotencyKey,
  fromBase64Url,
  GENESIS_HASH,
  receiptSigningInput,
  recordSigningInput,
  recordStatusesDigest,
  requestSigningInput,
  sha256Hex,
  toBase64Url,
  upstreamRecordSchema,
  type RecordHeader,
} from "./upstream.ts";

const header: RecordHeader = {
  kioskId: "hall-1-k1",
  epoch: 2,
  seq: 7,
  eventId: "0196a1b2-3c4d-7e8f-9a0b-1c2d3e4f5a6b",
  kind: "verification-result",
  schemaVersion: 1,
  createdAt: "1970-01-01T00:00:05.000Z",
  bootId: "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
  bodySha256: "a".repeat(64),
  prevHash: GENESIS_HASH,
  keyId: "kiosk-key-1",
};

describe("signing inputs", () => {
  test("a record's signing input lists every signed field in a fixed order", () => {
    const text = new TextDecoder().decode(recordSigningInput(header));
    expect(text.split("\n")).toEqual([
      "shiming-kiosk/record/v1",
      "hall-1-k1",
      "2",
      "7",
      "0196a1b2-3c4d-7e8f-9a0b-1c2d3e4f5a6b",
      "verification-result",
      "1",
      "1970-01-01T00:00:05.000Z",
      "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
      "a".repeat(64),
      "0".repeat(64),
      "kiosk-key-1",
    ]);
  });

  test("changing any field changes the input", () => {
    const base = toBase64Url(recordSigningInput(header));
    expect(toBase64Url(recordSigningInput({ ...header, seq: 8 }))).not.toBe(base);
    expect(toBase64Url(recordSigningInput({ ...header, epoch: 3 }))).not.toBe(base);
    expect(toBase64Url(recordSigningInput({ ...header, kioskId: "hall-1-k2" }))).not.toBe(base);
  });

  test("a field with a newline cannot be signed, so fields cannot be shifted", () => {
    expect(() => recordSigningInput({ ...header, createdAt: "x\n7" })).toThrow(RangeError);
  });

  test("receipt and request inputs are separated by domain", () => {
    const receipt = new TextDecoder().decode(
      receiptSigningInput({
        kioskId: "k-1",
        epoch: 1,
        ackThrough: 5,
        batchDigest: "b".repeat(64),
        resultsDigest: "d".repeat(64),
        receivedAt: "2026-11-23T00:00:00.000Z",
        keyId: "central-1",
      }),
    );
    expect(receipt).toBe(`shiming-kiosk/receipt/v1\nk-1\n1\n5\n${"b".repeat(64)}\n${"d".repeat(64)}\n2026-11-23T00:00:00.000Z\ncentral-1`);
    const fields = {
      method: "post",
      path: "/api/v1/kiosks/k-1/batches",
      idempotencyKey: "k-1:1:1-5",
      contentSha256: "c".repeat(64),
      keyId: "kk",
      timestamp: "2026-11-23T08:00:00.000Z",
      nonce: "n".repeat(22),
    };
    const request = new TextDecoder().decode(requestSigningInput(fields));
    expect(request).toBe(`shiming-kiosk/request/v2\nPOST\n/api/v1/kiosks/k-1/batches\nk-1:1:1-5\n${"c".repeat(64)}\nkk\n2026-11-23T08:00:00.000Z\n${"n".repeat(22)}`);
    // Time and nonce are signed: a request cannot be re-dated or given a fresh nonce without the key.
    expect(toBase64Url(requestSigningInput({ ...fields, timestamp: "2026-11-23T08:05:00.000Z" }))).not.toBe(toBase64Url(requestSigningInput(fields)));
    expect(toBase64Url(requestSigningInput({ ...fields, nonce: "m".repeat(22) }))).not.toBe(toBase64Url(requestSigningInput(fields)));
    expect(batchIdempotencyKey("k-1", 1, 1, 5)).toBe("k-1:1:1-5");
  });
});

describe("recordStatusesDigest", () => {
  test("depends on every verdict but not on the order results are listed in", async () => {
    const results = [
      { seq: 2, status: "rejected", reason: "bad-signature" },
      { seq: 1, status: "accepted" },
    ] as const;
    const digest = await recordStatusesDigest(results);
    expect(await recordStatusesDigest([...results].reverse())).toBe(digest);
    expect(await recordStatusesDigest([{ seq: 1, status: "accepted" }, { seq: 2, status: "accepted" }])).not.toBe(digest);
    expect(await recordStatusesDigest([])).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("encodings", () => {
  test("sha256Hex matches the known digest of 'abc'", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("base64url round-trips every byte value without padding", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64Url(text)).toEqual(bytes);
    expect(() => fromBase64Url("not base64!")).toThrow(SyntaxError);
  });

  test("the record schema refuses a wrong-length hash", () => {
    const record = { ...header, body: "{}", signature: "AAAA" };
    expect(upstreamRecordSchema.safeParse(record).success).toBe(true);
    expect(upstreamRecordSchema.safeParse({ ...record, prevHash: "0" }).success).toBe(false);
  });
});
