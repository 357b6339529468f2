import { describe, expect, test } from "bun:test";
import { FaultPlan, parseFaultScript } from "./fault-script.ts";

describe("parseFaultScript", () => {
  test("reads timed actions and reply faults with their defaults", () => {
    const script = parseFaultScript([
      { atMs: 1500, action: "remove-card" },
      { command: "readBase", fault: "garbage" },
      { command: "findCard", occurrence: 3, count: 2, fault: "split", chunks: 5, gapMs: 7 },
      { fault: "stall", afterBytes: 100, resumeAfterMs: 400 },
      { command: "samStatus", fault: "sam-failure" },
      { command: "findCard", fault: "no-card" },
      { command: "readBase", fault: "auth-failure", sw3: "0x31" },
      { command: "readBase", fault: "status", sw3: 65 },
      { command: "readBase", fault: "card-removed", reinsertAfterMs: 900 },
      { command: "selectCard", fault: "drop" },
      { command: "selectCard", fault: "bad-checksum" },
    ]);
    expect(script.steps).toEqual([
      { type: "action", atMs: 1500, action: "remove-card" },
      { type: "reply", command: "readBase", occurrence: 1, count: 1, fault: { fault: "garbage", bytes: 16 } },
      { type: "reply", command: "findCard", occurrence: 3, count: 2, fault: { fault: "split", chunks: 5, gapMs: 7 } },
      { type: "reply", command: "any", occurrence: 1, count: 1, fault: { fault: "stall", afterBytes: 100, resumeAfterMs: 400 } },
      { type: "reply", command: "samStatus", occurrence: 1, count: 1, fault: { fault: "status", sw3: 0x60 } },
      { type: "reply", command: "findCard", occurrence: 1, count: 1, fault: { fault: "status", sw3: 0x80 } },
      { type: "reply", command: "readBase", occurrence: 1, count: 1, fault: { fault: "status", sw3: 0x31 } },
      { type: "reply", command: "readBase", occurrence: 1, count: 1, fault: { fault: "status", sw3: 0x41 } },
      { type: "reply", command: "readBase", occurrence: 1, count: 1, fault: { fault: "card-removed", reinsertAfterMs: 900 } },
      { type: "reply", command: "selectCard", occurrence: 1, count: 1, fault: { fault: "drop" } },
      { type: "reply", command: "selectCard", occurrence: 1, count: 1, fault: { fault: "bad-checksum" } },
    ]);
    expect(parseFaultScript({ steps: [] }).steps).toEqual([]);
  });

  test("lists every problem with its step index", () => {
    let message = "";
    try {
      parseFaultScript([
        { atMs: 0, action: "explode" },
        { command: "readEverything", fault: "drop" },
        { fault: "split", chunks: 0 },
        { fault: "status", sw3: 300 },
        { fault: "auth-failure", sw3: 0x41 },
        "nope",
      ]);
    } catch (error) {
      expect(error).toBeInstanceOf(SyntaxError);
      message = (error as Error).message;
    }
    expect(message).toContain('step 0: unknown action "explode"');
    expect(message).toContain('step 1: unknown command "readEverything"');
    expect(message).toContain('step 2: "chunks" must be a positive integer');
    expect(message).toContain('step 3: "sw3" must be a byte');
    expect(message).toContain("step 4: \"sw3\" of an auth-failure must be 0x31 or 0x32");
    expect(message).toContain("step 5: expected an object");
    expect(() => parseFaultScript("x")).toThrow(/expected a JSON array/);
  });
});

describe("FaultPlan", () => {
  test("hands a fault to the chosen occurrences of a command only", () => {
    const plan = new FaultPlan(parseFaultScript([{ command: "findCard", occurrence: 2, count: 2, fault: "drop" }]));
    const got = ["findCard", "selectCard", "findCard", "findCard", "findCard"].map((c) => plan.next(c as never)?.fault);
    expect(got).toEqual([undefined, undefined, "drop", "drop", undefined]);
    expect(plan.applied).toBe(2);
  });

  test("`any` counts every request, known or not; the first matching step wins", () => {
    const plan = new FaultPlan(parseFaultScript([{ fault: "drop", occurrence: 2 }, { command: "selectCard", fault: "bad-checksum" }]));
    expect(plan.next("findCard")).toBeUndefined();
    expect(plan.next("selectCard")?.fault).toBe("drop");
    expect(plan.next(undefined)).toBeUndefined();
  });
});
