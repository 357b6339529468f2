import { createPrng, type Prng } from "@kiosk/contracts";
import { describe, expect, test } from "bun:test";
import { HEADER_BYTES, HID_REPORT_BYTES, MAX_FRAME_BYTES, MAX_LEN } from "./constants.ts";
import { Deframer, type FrameEvent } from "./deframer.ts";
import { decodeFrame, encodeResponse } from "./frame.ts";
import { loadVector, loadVectors, VECTOR_FILES } from "./testdata/load-vector.ts";

const wholeFrames = await loadVectors([...VECTOR_FILES.requests, ...VECTOR_FILES.responses, ...VECTOR_FILES.synthetic]);
const replies = await loadVectors([...VECTOR_FILES.responses, ...VECTOR_FILES.synthetic]);
const readBase = wholeFrames.get("syn_cn_readbase_1295.hex") ?? new Uint8Array(0);
const ok90 = wholeFrames.get("resp_ok_90.hex") ?? new Uint8Array(0);
const samId = wholeFrames.get("syn_samid_resp.hex") ?? new Uint8Array(0);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function framesOf(events: readonly FrameEvent[]): Uint8Array[] {
  return events.flatMap((e) => (e.type === "frame" ? [e.frame.bytes] : []));
}

function errorsOf(events: readonly FrameEvent[]): string[] {
  return events.flatMap((e) => (e.type === "error" ? [e.reason] : []));
}

/** Garbage that cannot contain a preamble start, so the expected counts are exact. */
function garbage(random: Prng, length: number): Uint8Array {
  const out = random.bytes(length);
  for (let i = 0; i < out.length; i++) if (out[i] === 0xaa) out[i] = 0x55;
  return out;
}

describe("Deframer: splits", () => {
  test("every split point of every valid vector yields the same single frame", () => {
    let checked = 0;
    for (const [name, bytes] of wholeFrames) {
      for (let split = 0; split <= bytes.length; split++) {
        const deframer = new Deframer();
        const events = [...deframer.push(bytes.subarray(0, split), 0), ...deframer.push(bytes.subarray(split), 1)];
        const frames = framesOf(events);
        if (events.length !== 1 || frames.length !== 1 || !Bun.deepEquals(frames[0], bytes)) {
          throw new Error(`${name} split at ${split}: ${JSON.stringify(events.map((e) => e.type === "frame" ? "frame" : e.reason))}`);
        }
        if (deframer.bufferedBytes !== 0 || deframer.counters.garbageBytes !== 0) throw new Error(`${name} split at ${split}: leftovers`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(9000);
  });

  test("one byte at a time", () => {
    for (const bytes of replies.values()) {
      const deframer = new Deframer();
      const events: FrameEvent[] = [];
      bytes.forEach((b, i) => events.push(...deframer.push(Uint8Array.of(b), i)));
      expect(framesOf(events)).toEqual([bytes]);
      expect(errorsOf(events)).toEqual([]);
    }
  });

  test("a preamble split across chunks at each of its bytes, after garbage", () => {
    const random = createPrng(11);
    for (let split = 1; split < 5; split++) {
      const deframer = new Deframer();
      const junk = garbage(random, 9);
      const events = [...deframer.push(concat(junk, samId.subarray(0, split)), 0), ...deframer.push(samId.subarray(split), 1)];
      expect(framesOf(events)).toEqual([samId]);
      expect(deframer.counters.garbageBytes).toBe(junk.length);
      // The partial preamble alone is all that was held between the chunks.
    }
    const deframer = new Deframer();
    deframer.push(Uint8Array.of(0x01, 0x02, 0xaa, 0xaa), 0);
    expect(deframer.bufferedBytes).toBe(2);
  });

  test("two frames in one chunk, and a chunk ending inside the second", () => {
    const deframer = new Deframer();
    expect(framesOf(deframer.push(concat(ok90, samId), 0))).toEqual([ok90, samId]);
    const both = concat(readBase, samId);
    const first = deframer.push(both.subarray(0, readBase.length + 3), 1);
    expect(framesOf(first)).toEqual([readBase]);
    expect(deframer.bufferedBytes).toBe(3);
    expect(framesOf(deframer.push(both.subarray(readBase.length + 3), 2))).toEqual([samId]);
    expect(deframer.counters.frames).toBe(4);
  });

  test("emitted frames own their bytes: reusing the chunk does not change them", () => {
    const deframer = new Deframer();
    const chunk = ok90.slice();
    const [event] = deframer.push(chunk, 0);
    chunk.fill(0);
    expect(event?.type === "frame" && event.frame.bytes).toEqual(ok90);
  });
});

describe("Deframer: garbage", () => {
  test("0 to 64 random garbage bytes before a frame", () => {
    const random = createPrng(1);
    for (let n = 0; n <= 64; n++) {
      for (const frame of [ok90, samId, readBase]) {
        const deframer = new Deframer();
        const junk = garbage(random, n);
        const events = deframer.push(concat(junk, frame), 0);
        expect(framesOf(events)).toEqual([frame]);
        expect(errorsOf(events)).toEqual([]);
        expect(deframer.counters.garbageBytes).toBe(n);
      }
    }
  });

  test("unfiltered random garbage (0xAA included) before a frame, split randomly", () => {
    const random = createPrng(2);
    for (let round = 0; round < 200; round++) {
      const deframer = new Deframer();
      const stream = concat(random.bytes(random.int(0, 64)), samId);
      const split = random.int(0, stream.length);
      const events = [...deframer.push(stream.subarray(0, split), 0), ...deframer.push(stream.subarray(split), 1)];
      expect(framesOf(events)).toEqual([samId]);
    }
  });

  test("runs of sync bytes before the preamble", () => {
    const deframer = new Deframer();
    const events = deframer.push(concat(new Uint8Array(10).fill(0xaa), Uint8Array.of(0x96), ok90), 0);
    expect(framesOf(events)).toEqual([ok90]);
    expect(deframer.counters.garbageBytes).toBe(11);
  });

  test("1 MB of garbage keeps the buffer within its cap", () => {
    const random = createPrng(3);
    const patterns: Array<[string, Uint8Array]> = [
      ["random", random.bytes(1 << 20)],
      ["all 0xAA", new Uint8Array(1 << 20).fill(0xaa)],
      // False headers with a plausible length: each waits for its body, then fails its checksum.
      ["false headers", (() => {
        const out = new Uint8Array(1 << 20);
        const fake = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x0f, 0xf0);
        for (let i = 0; i + fake.length <= out.length; i += 1000) out.set(fake, i);
        return out;
      })()],
    ];
    for (const [label, junk] of patterns) {
      const deframer = new Deframer();
      let maxBuffered = 0;
      for (let offset = 0; offset < junk.length;) {
        const size = random.int(1, 8192);
        deframer.push(junk.subarray(offset, offset + size), offset);
        maxBuffered = Math.max(maxBuffered, deframer.bufferedBytes);
        offset += size;
      }
      deframer.flush();
      expect({ label, withinCap: maxBuffered <= deframer.capacityBytes }).toEqual({ label, withinCap: true });
      expect(deframer.capacityBytes).toBe(MAX_FRAME_BYTES);
      expect(deframer.counters.frames).toBe(0);
      expect(deframer.counters.garbageBytes).toBe(junk.length);
      expect(deframer.bufferedBytes).toBe(0);
    }
  });

  test("zero padding of HID reports is garbage; the frame is found", async () => {
    const hid = await loadVector("syn_cn_readbase_as_21_hid_reports_64B.hex");
    const deframer = new Deframer();
    const events: FrameEvent[] = [];
    for (let i = 0; i < hid.length; i += HID_REPORT_BYTES) events.push(...deframer.push(hid.subarray(i, i + HID_REPORT_BYTES), i));
    expect(framesOf(events)).toEqual([readBase]);
    expect(deframer.counters.garbageBytes).toBe(hid.length - readBase.length);
  });
});

describe("Deframer: resync", () => {
  test("bad checksum followed by a good frame: both reported, the good one found", () => {
    const bad = samId.slice();
    bad[12] = (bad[12] ?? 0) ^ 0xff;
    const deframer = new Deframer();
    const events = deframer.push(concat(bad, ok90), 0);
    expect(events.map((e) => e.type === "frame" ? "frame" : e.reason)).toEqual(["bad-checksum", "frame"]);
    expect(framesOf(events)).toEqual([ok90]);
    expect(deframer.counters).toMatchObject({ frames: 1, badChecksum: 1, garbageBytes: bad.length });
  });

  test("after a bad checksum the scan resumes at preamble start + 1, finding a frame inside the claimed length", () => {
    // A false header claims 200 bytes; a real frame sits inside them.
    const falseHeader = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 200);
    const filler = new Uint8Array(200 - ok90.length).fill(0x11);
    const deframer = new Deframer();
    const events = deframer.push(concat(falseHeader, ok90, filler), 0);
    expect(events.map((e) => e.type === "frame" ? "frame" : e.reason)).toEqual(["bad-checksum", "frame"]);
    expect(framesOf(events)).toEqual([ok90]);
  });

  test("a preamble inside a preamble-like run is found after a failed candidate", () => {
    // AA AA AA 96 69 AA AA AA 96 69 00 04 …: the first "frame" has LEN 0xAAAA (oversize).
    const deframer = new Deframer();
    const events = deframer.push(concat(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69), ok90), 0);
    expect(events.map((e) => e.type === "frame" ? "frame" : e.reason)).toEqual(["oversize", "frame"]);
  });

  test("oversize length is rejected as soon as the length bytes arrive", () => {
    const deframer = new Deframer();
    const len = MAX_LEN + 1;
    const events = deframer.push(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, len >> 8, len & 0xff), 0);
    expect(events).toEqual([{ type: "error", reason: "oversize", len }]);
    expect(deframer.bufferedBytes).toBe(0);
    expect(framesOf(deframer.push(ok90, 1))).toEqual([ok90]);
    expect(deframer.counters).toMatchObject({ oversize: 1, frames: 1, garbageBytes: HEADER_BYTES });
  });

  test("length below the minimum is rejected", () => {
    const deframer = new Deframer();
    const events = deframer.push(concat(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x02, 0x00, 0x02), ok90), 0);
    expect(events.map((e) => e.type === "frame" ? "frame" : e.reason)).toEqual(["bad-length", "frame"]);
    expect(deframer.counters.badLength).toBe(1);
  });

  test("the largest legal frame passes; the cap is exact", () => {
    const largest = encodeResponse(0, 0, 0x90, new Uint8Array(MAX_LEN - 4));
    expect(largest.length).toBe(MAX_FRAME_BYTES);
    const deframer = new Deframer();
    const events = [...deframer.push(largest.subarray(0, 3000), 0), ...deframer.push(largest.subarray(3000), 1)];
    expect(framesOf(events)).toEqual([largest]);
  });
});

describe("Deframer: time", () => {
  test("a mid-frame stall drops the partial frame, then a good frame is found", () => {
    const deframer = new Deframer({ interByteTimeoutMs: 50 });
    expect(deframer.push(readBase.subarray(0, 600), 1000)).toEqual([]);
    expect(deframer.bufferedBytes).toBe(600);
    const events = deframer.push(ok90, 1051);
    expect(events).toEqual([
      { type: "error", reason: "stall", gapMs: 51, pendingBytes: 600 },
      expect.objectContaining({ type: "frame" }),
    ]);
    expect(framesOf(events)).toEqual([ok90]);
    expect(deframer.counters).toMatchObject({ stalls: 1, frames: 1, garbageBytes: 600 });
  });

  test("gaps up to the timeout keep the frame", () => {
    const deframer = new Deframer({ interByteTimeoutMs: 50 });
    let now = 0;
    const events: FrameEvent[] = [];
    for (let i = 0; i < readBase.length; i += 100) events.push(...deframer.push(readBase.subarray(i, i + 100), (now += 50)));
    expect(framesOf(events)).toEqual([readBase]);
    expect(deframer.counters.stalls).toBe(0);
  });

  test("a stall recovers complete frames held inside a false candidate", () => {
    const deframer = new Deframer({ interByteTimeoutMs: 10 });
    const falseHeader = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x02, 0x00);
    expect(deframer.push(concat(falseHeader, ok90), 0)).toEqual([]);
    const events = deframer.push(samId, 100);
    expect(events.map((e) => e.type === "frame" ? "frame" : e.reason)).toEqual(["stall", "frame", "frame"]);
    expect(framesOf(events)).toEqual([ok90, samId]);
  });

  test("a lone preamble prefix is dropped silently after a gap", () => {
    const deframer = new Deframer({ interByteTimeoutMs: 10 });
    deframer.push(Uint8Array.of(0x00, 0xaa, 0xaa), 0);
    expect(framesOf(deframer.push(ok90, 100))).toEqual([ok90]);
    expect(deframer.counters.stalls).toBe(0);
  });

  test("flush never emits a partial frame", () => {
    const deframer = new Deframer();
    deframer.push(readBase.subarray(0, readBase.length - 1), 0);
    expect(deframer.flush()).toEqual([{ type: "error", reason: "truncated", pendingBytes: readBase.length - 1 }]);
    expect(deframer.bufferedBytes).toBe(0);
    expect(deframer.counters).toMatchObject({ frames: 0, truncated: 1 });
    expect(deframer.flush()).toEqual([]);
  });

  test("rejects a bad timeout option", () => {
    expect(() => new Deframer({ interByteTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => new Deframer({ interByteTimeoutMs: Number.NaN })).toThrow(RangeError);
  });
});

describe("Deframer: fuzz", () => {
  test("100,000+ random and mutated chunks: no throw, bounded, every frame valid", () => {
    const random = createPrng(0x5eed);
    const sources = [...replies.values()];
    const deframer = new Deframer({ interByteTimeoutMs: 20 });
    let chunks = 0;
    let now = 0;
    let emitted = 0;
    const check = (events: FrameEvent[]): void => {
      for (const event of events) {
        if (event.type !== "frame") continue;
        emitted++;
        const decoded = decodeFrame(event.frame.bytes);
        if (!decoded.ok || decoded.frame.bytes.length !== event.frame.bytes.length) throw new Error(`invalid frame emitted after ${chunks} chunks`);
      }
      if (deframer.bufferedBytes > deframer.capacityBytes) throw new Error("buffer over its cap");
    };
    while (chunks < 100_000) {
      // Build a piece of stream: a frame (maybe mutated), random bytes or a false header.
      const kind = random.int(0, 9);
      let piece: Uint8Array;
      if (kind < 5) {
        piece = (sources[random.int(0, sources.length - 1)] ?? ok90).slice();
        const mutations = kind === 0 ? random.int(1, 4) : 0;
        for (let m = 0; m < mutations; m++) {
          const at = random.int(0, piece.length - 1);
          const op = random.int(0, 2);
          if (op === 0) piece[at] = random.int(0, 255);
          else if (op === 1) piece = concat(piece.subarray(0, at), piece.subarray(at + 1));
          else piece = concat(piece.subarray(0, at), random.bytes(random.int(1, 8)), piece.subarray(at));
        }
        if (kind === 1) piece = piece.subarray(0, random.int(0, piece.length)); // truncated reply
      } else if (kind < 8) {
        piece = random.bytes(random.int(0, 300));
      } else {
        const len = random.int(0, 0xffff);
        piece = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, len >> 8, len & 0xff);
      }
      // Feed it in random chunks, sometimes after a long gap.
      for (let offset = 0; offset < piece.length || piece.length === 0;) {
        const size = random.int(0, 96);
        now += random.next() < 0.01 ? 25 : random.int(0, 2);
        check(deframer.push(piece.subarray(offset, offset + size), now));
        chunks++;
        offset += size;
        if (piece.length === 0) break;
      }
    }
    check(deframer.flush());
    const c = deframer.counters;
    expect(chunks).toBeGreaterThanOrEqual(100_000);
    expect(c.frames).toBe(emitted);
    expect(c.frames).toBeGreaterThan(1000);
    expect(c.badChecksum + c.oversize + c.badLength + c.stalls).toBeGreaterThan(0);
    expect(deframer.bufferedBytes).toBe(0);
  });

  test("an undamaged stream in random chunks gives back exactly its frames", () => {
    const random = createPrng(99);
    const sources = [...replies.values()];
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) sent.push(sources[random.int(0, sources.length - 1)] ?? ok90);
    const stream = concat(...sent);
    const deframer = new Deframer();
    const received: Uint8Array[] = [];
    for (let offset = 0; offset < stream.length;) {
      const size = random.int(1, 5000);
      received.push(...framesOf(deframer.push(stream.subarray(offset, offset + size), 0)));
      offset += size;
    }
    expect(received.length).toBe(sent.length);
    expect(received.every((f, i) => Bun.deepEquals(f, sent[i]))).toBe(true);
    expect(deframer.counters.garbageBytes).toBe(0);
  });
});

describe("Deframer: throughput", () => {
  // A loose floor that only catches pathological slowdowns (quadratic
  // rescans, per-byte copies); the target is ≥ 50 MB/s, measured far above.
  const FLOOR_MB_PER_S = 20;

  function throughput(stream: Uint8Array, chunkBytes: number): number {
    const deframer = new Deframer();
    const started = performance.now();
    for (let offset = 0; offset < stream.length; offset += chunkBytes) deframer.push(stream.subarray(offset, offset + chunkBytes), 0);
    const seconds = (performance.now() - started) / 1000;
    return stream.length / (1 << 20) / Math.max(seconds, 1e-6);
  }

  test("garbage-heavy and frame-heavy input", () => {
    const random = createPrng(5);
    const garbageHeavy = random.bytes(8 << 20);
    const frameHeavy = concat(...Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? samId : readBase)));
    expect(throughput(garbageHeavy, 4096)).toBeGreaterThan(FLOOR_MB_PER_S);
    expect(throughput(frameHeavy, 4096)).toBeGreaterThan(FLOOR_MB_PER_S);
  });
});
