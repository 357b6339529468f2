import { describe, expect, test } from "bun:test";
import { isPersonalKey, REDACTED, redactForLog, redactText } from "./redact.ts";

const ID_NUMBER = "110101198001010037";

describe("redactText", () => {
  test("masks 18- and 15-digit ID numbers, with or without X", () => {
    expect(redactText(`holder ${ID_NUMBER} read`)).toBe("holder [id-number] read");
    expect(redactText("old 110101800101003")).toBe("old [id-number]");
    expect(redactText("x 11010119800101003X.")).toBe("x [id-number].");
  });

  test("masks foreign-card and HK/Macau permit numbers", () => {
    expect(redactText("card CAN110080101000")).toBe("card [id-number]");
    expect(redactText("pass H12345678")).toBe("pass [id-number]");
  });

  test("masks Han text such as names and addresses", () => {
    expect(redactText("name=测试甲 addr 北京市东城区")).toBe("name=[han] addr [han]");
    expect(redactText("阿卜杜·拉")).toBe("[han]");
  });

  test("masks long hex dumps and base64 blobs", () => {
    const hex = "AA AA AA 96 69 ".repeat(10);
    expect(redactText(`frame ${hex}`)).not.toContain("96 69 AA");
    expect(redactText(`photo ${"QUJD".repeat(60)}`)).toBe("photo [blob]");
  });

  test("keeps ordinary technical text", () => {
    const text = "listening on http://127.0.0.1:8600 after 1732380000000 ms, seq 42";
    expect(redactText(text)).toBe(text);
  });
});

describe("isPersonalKey", () => {
  test("matches personal keys in any case or separator style", () => {
    for (const key of ["name", "idNumber", "id_number", "ID-Number", "nameEn", "holderName", "photo", "descriptor", "address"]) {
      expect(isPersonalKey(key)).toBe(true);
    }
  });

  test("leaves technical names alone", () => {
    for (const key of ["hostname", "kioskId", "code", "port", "ns", "portName", "seq"]) {
      expect(isPersonalKey(key)).toBe(false);
    }
  });
});

describe("redactForLog", () => {
  test("replaces personal keys at any depth", () => {
    const out = redactForLog({ card: { name: "X" }, session: { holder: { idNumber: ID_NUMBER } }, kioskId: "k-1" });
    expect(out).toEqual({ card: REDACTED, session: { holder: REDACTED }, kioskId: "k-1" });
  });

  test("reduces binary data to its length and vectors to their size", () => {
    const out = redactForLog({ chunk: new Uint8Array(1295), vec: new Float32Array(1024), list: Array.from({ length: 512 }, () => 0.5) });
    expect(out).toEqual({
      chunk: { redacted: "binary", bytes: 1295 },
      vec: { redacted: "binary", bytes: 4096 },
      list: { redacted: "vector", length: 512 },
    });
  });

  test("scans error messages, stacks and causes", () => {
    const error = new Error(`bad card ${ID_NUMBER}`, { cause: new Error("owner 测试甲") });
    const text = JSON.stringify(redactForLog({ error }));
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain("测试甲");
    expect(text).toContain("[id-number]");
  });

  test("survives cycles and deep nesting", () => {
    const a: Record<string, unknown> = { ok: 1 };
    a["self"] = a;
    expect(redactForLog(a)).toEqual({ ok: 1, self: "[circular]" });
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 10; i++) deep = { next: deep };
    expect(JSON.stringify(redactForLog(deep))).toContain("[too-deep]");
  });
});
