import { describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { readJsonBody } from "./json-body.ts";

const LIMIT = 64 * 1024;

// An app whose one route reads a JSON body of at most LIMIT bytes and answers with the value or the error's code.
function app(): Hono {
  const hono = new Hono();
  hono.post("/", async (c) => {
    try {
      return c.json({ value: await readJsonBody(c, z.object({ n: z.number() }), LIMIT) });
    } catch (error) {
      return c.json({ code: isKioskError(error) ? error.code : "internal" }, 400);
    }
  });
  return hono;
}

// A chunked body (no Content-Length) that never ends: `{"n":1,"pad":"xxxx…`.
function endlessBody(): { body: ReadableStream<Uint8Array>; pulledBytes: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = new TextEncoder().encode(pulled === 0 ? '{"n":1,"pad":"' : "x".repeat(4096));
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, pulledBytes: () => pulled };
}

describe("readJsonBody", () => {
  test("reads and validates a JSON body within the limit", async () => {
    const res = await app().request("/", { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":7}' });
    expect(await res.json()).toEqual({ value: { n: 7 } });
  });

  test("a larger Content-Length is refused before reading", async () => {
    const res = await app().request("/", { method: "POST", headers: { "content-type": "application/json", "content-length": String(LIMIT + 1) }, body: "{}" });
    expect(await res.json()).toEqual({ code: "payload-too-large" });
  });

  test("a chunked body that never ends is refused once past the limit, not read to the end", async () => {
    const { body, pulledBytes } = endlessBody();
    const res = await app().request("/", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    expect(await res.json()).toEqual({ code: "payload-too-large" });
    expect(pulledBytes()).toBeLessThan(LIMIT + 64 * 1024);
  });
});
