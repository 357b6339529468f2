import { describe, expect, test } from "bun:test";
import {
  fromBase64Url,
  generateSigner,
  GENESIS_HASH,
  importVerifyKey,
  MAX_RECORD_BODY_BYTES,
  recordSigningInput,
  sha256Hex,
  upstreamRecordSchema,
  verifySignature,
  type Signer,
} from "@kiosk/contracts";
import {
  chainProblems,
  recordBody,
  signNextRecord,
  upstreamRecord,
  upstreamRecordBytes,
  upstreamRecordBytesBound,
  type ChainKey,
  type ChainLink,
  type ChainPosition,
} from "./record-chain.ts";

const START: ChainPosition = { kioskId: "hall-7-k1", epoch: 3, nextSeq: 1, chainHead: GENESIS_HASH };
const BOOT_ID = "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f";
const CREATED_AT_MS = Date.parse("2026-03-01T08:00:00.000Z");

function fields(n: number) {
  return { eventId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, kind: "test-note", schemaVersion: 1, createdAtMs: CREATED_AT_MS + n, bootId: BOOT_ID };
}

// `count` records chained from START, as the store would keep them.
async function chain(signer: Signer, count: number): Promise<ChainLink[]> {
  const links: ChainLink[] = [];
  let position = START;
  for (let n = 1; n <= count; n++) {
    const record = await signNextRecord(position, fields(n), await recordBody(`{"n":${n}}`), signer);
    links.push(record);
    position = { ...position, nextSeq: position.nextSeq + 1, chainHead: record.recordHash };
  }
  return links;
}

async function keyOf(signer: Signer): Promise<ChainKey> {
  return { keyId: signer.keyId, key: await importVerifyKey(signer.publicKey) };
}

describe("recordBody", () => {
  test("measures and hashes the UTF-8 bytes; the text is what reading them back gives", async () => {
    const body = await recordBody('{"name":"欧阳"}');
    expect(body.bytes.length).toBe(17);
    expect(body.sha256).toBe(await sha256Hex(new TextEncoder().encode('{"name":"欧阳"}')));
    expect((await recordBody("a\uD800b")).text).toBe("a\uFFFDb");
  });

  test("a body over the limit is refused with a RangeError", async () => {
    expect((await recordBody("x".repeat(MAX_RECORD_BODY_BYTES))).bytes.length).toBe(MAX_RECORD_BODY_BYTES);
    await expect(recordBody("x".repeat(MAX_RECORD_BODY_BYTES + 1))).rejects.toThrow(RangeError);
  });
});

describe("signNextRecord", () => {
  test("places the record next in the chain, signs its header and hashes it", async () => {
    const signer = await generateSigner();
    const body = await recordBody('{"n":1}');
    const position = { ...START, nextSeq: 8, chainHead: "c".repeat(64) };
    const { header, signature, recordHash } = await signNextRecord(position, fields(1), body, signer);
    expect(header).toEqual({
      kioskId: "hall-7-k1",
      epoch: 3,
      seq: 8,
      eventId: fields(1).eventId,
      kind: "test-note",
      schemaVersion: 1,
      createdAt: "2026-03-01T08:00:00.001Z",
      bootId: BOOT_ID,
      bodySha256: body.sha256,
      prevHash: "c".repeat(64),
      keyId: signer.keyId,
    });
    expect(recordHash).toBe(await sha256Hex(recordSigningInput(header)));
    expect(await verifySignature(await importVerifyKey(signer.publicKey), fromBase64Url(signature), recordSigningInput(header))).toBe(true);
  });

  test("each record links to the hash of the one before", async () => {
    const links = await chain(await generateSigner(), 3);
    expect(links.map((l) => l.header.seq)).toEqual([1, 2, 3]);
    expect(links.map((l) => l.header.prevHash)).toEqual([GENESIS_HASH, links[0]!.recordHash, links[1]!.recordHash]);
  });
});

describe("upstreamRecord", () => {
  test("is the record as central's schema reads it", async () => {
    const [link] = await chain(await generateSigner(), 1);
    const record = upstreamRecord(link!.header, '{"n":1}', link!.signature);
    expect(upstreamRecordSchema.parse(record)).toEqual(record);
    expect(record).toMatchObject({ seq: 1, body: '{"n":1}', signature: link!.signature, prevHash: GENESIS_HASH });
  });
});

describe("record sizes in a batch", () => {
  test("a signed record knows its JSON size; the bound from the body's UTF-8 size is never below it", async () => {
    const signer = await generateSigner();
    for (const text of ['"'.repeat(300), "\\".repeat(300), "\u0001".repeat(300), "证".repeat(300), "plain", ""]) {
      const body = await recordBody(text);
      const { header, signature, wireBytes } = await signNextRecord(START, fields(1), body, signer);
      const json = JSON.stringify(upstreamRecord(header, text, signature));
      expect(wireBytes).toBe(new TextEncoder().encode(json).length);
      expect(upstreamRecordBytes(upstreamRecord(header, text, signature))).toBe(wireBytes);
      expect(upstreamRecordBytesBound(header, signature, body.bytes.length)).toBeGreaterThanOrEqual(wireBytes);
    }
  });
});

describe("chainProblems", () => {
  test("an intact chain has none", async () => {
    const signer = await generateSigner();
    expect(await chainProblems(await chain(signer, 4), await keyOf(signer))).toEqual([]);
  });

  test("names a gap, a broken link, an altered header, a bad signature and a foreign key", async () => {
    const signer = await generateSigner();
    const links = await chain(signer, 6);
    const [l1, l2, l3, , l5, l6] = links as [ChainLink, ChainLink, ChainLink, ChainLink, ChainLink, ChainLink];
    const other = await generateSigner();
    const broken: ChainLink[] = [
      l1,
      { ...l2, header: { ...l2.header, kind: "edited" } },
      { ...l3, signature: l1.signature },
      // seq 4 is missing, so seq 5 links to a record that is not there.
      l5,
      { ...l6, header: { ...l6.header, keyId: other.keyId } },
    ];
    expect(await chainProblems(broken, await keyOf(signer))).toEqual([
      "seq 2: record hash does not match its header",
      "seq 2: bad signature",
      "seq 3: bad signature",
      "seq 4..4 missing",
      "seq 5: prevHash does not link to the previous record",
      "seq 6: record hash does not match its header",
      `seq 6: signed by key "${other.keyId}", not the current key`,
    ]);
  });
});
