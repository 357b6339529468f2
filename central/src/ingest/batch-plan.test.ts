import { describe, expect, test } from "bun:test";
import { GENESIS_HASH, type UpstreamRecord } from "@kiosk/contracts";
import { planBatch, type LedgerEntry } from "./batch-plan.ts";
import type { CheckedRecord, RecordFault } from "./record-verifier.ts";

const hash = (c: string) => c.repeat(64);

// A checked record whose chain hash is hash(chain) and whose prevHash is hash(prev).
function checked(seq: number, chain: string, prev: string, options: { content?: string; fault?: RecordFault; eventId?: string } = {}): CheckedRecord {
  const record = {
    seq,
    eventId: options.eventId ?? `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    prevHash: prev === "genesis" ? GENESIS_HASH : hash(prev),
  } as UpstreamRecord;
  return { index: seq, seq, record, text: () => "{}", contentSha256: options.content ?? `content-${seq}-${chain}`, chainHash: hash(chain), fault: options.fault };
}

function entry(r: CheckedRecord): LedgerEntry {
  return { seq: r.seq, eventId: r.record!.eventId, status: "accepted", reason: null, chainHash: r.chainHash!, prevHash: r.record!.prevHash, contentSha256: r.contentSha256 };
}

const plan = (records: CheckedRecord[], ledger: LedgerEntry[] = []) =>
  planBatch({ kioskId: "k-1", epoch: 1, records, ledger: new Map(ledger.map((e) => [e.seq, e])), eventOwners: new Map() });

describe("planBatch", () => {
  test("a seq twice in one batch is accepted once, then a duplicate", () => {
    const one = checked(1, "a", "genesis");
    const result = plan([one, one]);
    expect(result.statuses.map((s) => s.status)).toEqual(["accepted", "duplicate"]);
    expect(result.newLedger).toHaveLength(1);
    expect(result.accepted).toHaveLength(1);
  });

  test("an accepted record resent after its key was revoked is still a duplicate, not a rejection", () => {
    const one = checked(1, "a", "genesis");
    const resent = { ...one, fault: { reason: "unknown-key" as const, message: "revoked" } };
    const result = plan([resent], [entry(one)]);
    expect(result.statuses).toEqual([{ seq: 1, status: "duplicate" }]);
    expect(result.alarms).toEqual([]);
  });

  test("an unverifiable second version of a settled seq is rejected under its own reason and changes nothing", () => {
    const one = checked(1, "a", "genesis");
    const forged = checked(1, "b", "genesis", { fault: { reason: "bad-signature", message: "does not verify" } });
    const result = plan([forged], [entry(one)]);
    expect(result.statuses).toEqual([{ seq: 1, status: "rejected", reason: "bad-signature", message: "does not verify" }]);
    expect(result.newLedger).toEqual([]);
    expect(result.alarms.map((a) => a.kind)).toEqual(["bad-signature"]);
    expect(result.rejections).toHaveLength(1);
  });

  test("a re-signed record with the same signed fields (new signature bytes) counts as the same content", () => {
    const one = checked(1, "a", "genesis");
    const resigned = checked(1, "a", "genesis", { content: "other-signature-bytes" });
    expect(plan([resigned], [entry(one)]).statuses).toEqual([{ seq: 1, status: "duplicate" }]);
  });

  test("links are checked backwards, forwards and from the genesis hash", () => {
    const first = checked(1, "a", "f");
    const third = checked(3, "c", "b");
    const secondBroken = checked(2, "x", "a");
    const result = plan([first, secondBroken], [entry(third)]);
    expect(result.statuses.map((s) => s.status)).toEqual(["accepted", "accepted"]);
    expect(result.alarms.map((a) => [a.kind, a.seq])).toEqual([
      ["chain-break", 1],
      ["chain-break", 3],
    ]);
  });

  test("a rejected record settles its seq without claiming its event id", () => {
    const bad = checked(1, "a", "genesis", { fault: { reason: "bad-schema", message: "unknown kind" } });
    const result = plan([bad]);
    expect(result.newLedger).toEqual([expect.objectContaining({ seq: 1, status: "rejected", reason: "bad-schema", eventId: null })]);
    expect(result.counts).toEqual({ accepted: 0, rejected: 1, duplicate: 0 });
  });
});
