import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { padPhoto } from "../protocol/base-message-encoder.ts";
import { encodeCardText } from "../protocol/card-text-encoder.ts";
import { COMMANDS, type CommandCode } from "../protocol/constants.ts";
import { Deframer } from "../protocol/deframer.ts";
import { encodeCommand, readResponse } from "../protocol/frame.ts";
import { SYNTHETIC_RESIDENT_CARD } from "../protocol/testdata/expected-cards.ts";
import { IdCardReader } from "../reader.ts";
import type { ReaderEventMap, ReaderEventName } from "../reader-events.ts";
import { parseFaultScript } from "./fault-script.ts";
import { createMemoryLink, type MemoryLink } from "./memory-link.ts";
import { ReaderResponder, type ReaderResponderOptions, type SimulatedCard } from "./reader-responder.ts";
import { ReaderSimulator, wireTimeMs, type ReaderSimulatorOptions } from "./reader-simulator.ts";

const CARD: SimulatedCard = {
  text: encodeCardText(SYNTHETIC_RESIDENT_CARD),
  photo: padPhoto(Uint8Array.of(0x57, 0x4c, 0x66, 0x00)),
  fingerprint: new Uint8Array(0),
};

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

async function advance(clock: FakeClock, ms: number): Promise<void> {
  await settle();
  for (let t = 0; t < ms; t++) {
    await clock.advance(1);
    await settle();
  }
}

interface Rig {
  clock: FakeClock;
  link: MemoryLink;
  responder: ReaderResponder;
  simulator: ReaderSimulator;
  /** Chunks received by the host end, with their fake-clock arrival times. */
  chunks: { atMs: number; bytes: Uint8Array }[];
  received: () => Uint8Array;
  send: (command: CommandCode) => Promise<void>;
}

async function rig(options: { responder?: ReaderResponderOptions; simulator?: Partial<ReaderSimulatorOptions>; faults?: unknown[] } = {}): Promise<Rig> {
  const clock = new FakeClock(0);
  const link = createMemoryLink();
  const responder = new ReaderResponder({ card: CARD, ...options.responder });
  const simulator = new ReaderSimulator({
    transport: link.device,
    clock,
    responder,
    ...(options.faults ? { faults: parseFaultScript(options.faults) } : {}),
    ...options.simulator,
  });
  const chunks: Rig["chunks"] = [];
  link.host.onData((bytes) => chunks.push({ atMs: clock.now(), bytes }));
  await link.host.open();
  await simulator.start();
  return {
    clock,
    link,
    responder,
    simulator,
    chunks,
    received: () => Uint8Array.from(chunks.flatMap((c) => [...c.bytes])),
    send: async (command) => {
      await link.host.write(encodeCommand(command));
      await settle();
    },
  };
}

function frames(bytes: Uint8Array): { sw3: number; length: number }[] {
  return new Deframer()
    .push(bytes, 0)
    .flatMap((e) => (e.type === "frame" ? [e.frame] : []))
    .map((frame) => {
      const read = readResponse(frame);
      return { sw3: read.ok ? read.response.sw3 : -1, length: frame.bytes.length };
    });
}

describe("ReaderSimulator: pacing", () => {
  test("with pacing, a reply ends after request wire time + module time + reply wire time, at 10 bits per byte", async () => {
    const r = await rig({ simulator: { baudRate: 115200, moduleMs: { findCard: 15 } } });
    await r.send(COMMANDS.findCard);
    const expected = wireTimeMs(10, 115200) + 15 + wireTimeMs(15, 115200);
    await advance(r.clock, Math.floor(expected));
    expect(r.received().length).toBe(0);
    await advance(r.clock, 1);
    expect(frames(r.received())).toEqual([{ sw3: 0x9f, length: 15 }]);
    expect(r.chunks.at(-1)?.atMs).toBeCloseTo(expected, 6);
    await r.simulator.stop();
  });

  test("a 1295-byte read reply streams out in ~4 ms chunks and completes at ≈ 0.9 + 200 + 112.4 ms", async () => {
    const r = await rig();
    await r.send(COMMANDS.findCard);
    await advance(r.clock, 20);
    r.chunks.length = 0;
    await r.send(COMMANDS.selectCard);
    await advance(r.clock, 20);
    r.chunks.length = 0;
    const start = r.clock.now();
    await r.send(COMMANDS.readBase);
    await advance(r.clock, 320);
    expect(frames(r.received())).toEqual([{ sw3: 0x90, length: 1295 }]);
    const last = (r.chunks.at(-1)?.atMs ?? 0) - start;
    expect(last).toBeCloseTo(wireTimeMs(10, 115200) + 200 + wireTimeMs(1295, 115200), 6);
    const first = (r.chunks[0]?.atMs ?? 0) - start;
    expect(first).toBeGreaterThan(200);
    expect(r.chunks.length).toBeGreaterThan(25);
    expect(Math.max(...r.chunks.map((c) => c.bytes.length))).toBeLessThanOrEqual(47);
    await r.simulator.stop();
  });

  test("at 9600 baud the same reply takes ≈ 1.35 s on the wire (spec §1.1)", async () => {
    const r = await rig({ simulator: { baudRate: 9600, moduleMs: { findCard: 0, selectCard: 0, readBase: 0 } } });
    await r.send(COMMANDS.findCard);
    await advance(r.clock, 30);
    await r.send(COMMANDS.selectCard);
    await advance(r.clock, 30);
    const start = r.clock.now();
    r.chunks.length = 0;
    await r.send(COMMANDS.readBase);
    await advance(r.clock, 1400);
    // Within the 1 ms steps of the fake clock.
    expect(Math.abs((r.chunks.at(-1)?.atMs ?? 0) - start - wireTimeMs(1305, 9600))).toBeLessThan(1);
    await r.simulator.stop();
  });

  test("without pacing, replies arrive at once", async () => {
    const r = await rig({ simulator: { pacing: false } });
    await r.send(COMMANDS.findCard);
    await r.send(COMMANDS.selectCard);
    await r.send(COMMANDS.readBase);
    expect(frames(r.received()).map((f) => f.length)).toEqual([15, 19, 1295]);
    expect(r.chunks.every((c) => c.atMs === 0)).toBe(true);
    expect(r.simulator.counters).toMatchObject({ requests: 3, replies: 3, bytesSent: 15 + 19 + 1295 });
    await r.simulator.stop();
  });

  test("requests are answered one at a time, in order", async () => {
    const r = await rig({ simulator: { moduleMs: { samStatus: 50, findCard: 5 } } });
    await r.link.host.write(Uint8Array.of(...encodeCommand(COMMANDS.samStatus), ...encodeCommand(COMMANDS.findCard)));
    await advance(r.clock, 100);
    expect(frames(r.received()).map((f) => f.sw3)).toEqual([0x90, 0x9f]);
    await r.simulator.stop();
  });
});

describe("ReaderSimulator: scripted faults on the wire", () => {
  const unpaced = { pacing: false } as const;

  test("garbage: junk bytes precede the reply", async () => {
    const r = await rig({ simulator: unpaced, faults: [{ command: "findCard", fault: "garbage", bytes: 40 }] });
    await r.send(COMMANDS.findCard);
    const deframer = new Deframer();
    const events = deframer.push(r.received(), 0);
    expect(r.received().length).toBe(55);
    expect(events.filter((e) => e.type === "frame")).toHaveLength(1);
    expect(deframer.counters.garbageBytes).toBe(40);
    await r.simulator.stop();
  });

  test("split: the reply comes in the given chunks with the given gaps", async () => {
    const r = await rig({ simulator: unpaced, faults: [{ command: "readBase", fault: "split", chunks: 4, gapMs: 30 }] });
    await r.send(COMMANDS.findCard);
    await r.send(COMMANDS.selectCard);
    r.chunks.length = 0;
    await r.send(COMMANDS.readBase);
    await advance(r.clock, 100);
    expect(r.chunks.map((c) => c.atMs)).toEqual([0, 30, 60, 90]);
    expect(frames(r.received())).toEqual([{ sw3: 0x90, length: 1295 }]);
    await r.simulator.stop();
  });

  test("bad-checksum: the frame is complete but its checksum byte is wrong", async () => {
    const r = await rig({ simulator: unpaced, faults: [{ command: "findCard", fault: "bad-checksum" }] });
    await r.send(COMMANDS.findCard);
    const deframer = new Deframer();
    deframer.push(r.received(), 0);
    expect(r.received().length).toBe(15);
    expect(deframer.counters).toMatchObject({ frames: 0, badChecksum: 1 });
    await r.send(COMMANDS.findCard);
    expect(frames(r.received().subarray(15))).toEqual([{ sw3: 0x9f, length: 15 }]);
    await r.simulator.stop();
  });

  test("stall: the reply stops mid-frame; with resumeAfterMs the rest follows later", async () => {
    const r = await rig({ simulator: unpaced, faults: [{ command: "findCard", fault: "stall", afterBytes: 6 }, { command: "findCard", occurrence: 2, fault: "stall", afterBytes: 6, resumeAfterMs: 500 }] });
    await r.send(COMMANDS.findCard);
    await advance(r.clock, 1000);
    expect(r.received().length).toBe(6);
    r.chunks.length = 0;
    await r.send(COMMANDS.findCard);
    await advance(r.clock, 499);
    expect(r.received().length).toBe(6);
    await advance(r.clock, 1);
    expect(r.chunks.map((c) => [c.atMs - 1000, c.bytes.length])).toEqual([[0, 6], [500, 9]]);
    await r.simulator.stop();
  });

  test("drop: no reply at all", async () => {
    const r = await rig({ simulator: unpaced, faults: [{ command: "selectCard", fault: "drop" }] });
    await r.send(COMMANDS.findCard);
    await r.send(COMMANDS.selectCard);
    await advance(r.clock, 1000);
    expect(frames(r.received()).map((f) => f.sw3)).toEqual([0x9f]);
    await r.simulator.stop();
  });

  test("status shortcuts: no-card 80 on find, sam-failure 60 on status, auth-failure 32 on read", async () => {
    const r = await rig({
      simulator: unpaced,
      faults: [{ command: "findCard", fault: "no-card" }, { command: "samStatus", fault: "sam-failure" }, { command: "readBase", fault: "auth-failure" }],
    });
    for (const c of [COMMANDS.findCard, COMMANDS.samStatus, COMMANDS.findCard, COMMANDS.selectCard, COMMANDS.readBase]) await r.send(c);
    expect(frames(r.received()).map((f) => f.sw3)).toEqual([0x80, 0x60, 0x9f, 0x90, 0x32]);
    await r.simulator.stop();
  });

  test("card-removed: the read gets 41, the card is gone, and comes back after reinsertAfterMs", async () => {
    const r = await rig({ simulator: unpaced, faults: [{ command: "readBase", fault: "card-removed", reinsertAfterMs: 800 }] });
    for (const c of [COMMANDS.findCard, COMMANDS.selectCard, COMMANDS.readBase]) await r.send(c);
    expect(frames(r.received()).map((f) => f.sw3)).toEqual([0x9f, 0x90, 0x41]);
    expect(r.responder.cardPresent).toBe(false);
    await advance(r.clock, 800);
    expect(r.responder.cardPresent).toBe(true);
    await r.simulator.stop();
  });

  test("timed actions move the card and break the SAM over time", async () => {
    const r = await rig({
      simulator: unpaced,
      faults: [
        { atMs: 100, action: "remove-card" },
        { atMs: 200, action: "sam-fail" },
        { atMs: 300, action: "sam-ok" },
        { atMs: 400, action: "insert-card" },
      ],
    });
    const states: [boolean, boolean][] = [];
    for (let i = 0; i < 5; i++) {
      states.push([r.responder.cardPresent, r.responder.samOk]);
      await advance(r.clock, 100);
    }
    expect(states).toEqual([
      [true, true],
      [false, true],
      [false, false],
      [false, true],
      [true, true],
    ]);
    await r.simulator.stop();
  });

  test("a request with a bad checksum gets SW3 10", async () => {
    const r = await rig({ simulator: unpaced });
    const bad = encodeCommand(COMMANDS.findCard);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    await r.link.host.write(bad);
    await settle();
    expect(frames(r.received()).map((f) => f.sw3)).toEqual([0x10]);
    expect(r.simulator.counters.damagedRequests).toBe(1);
    await r.simulator.stop();
  });

  test("stop() cancels pending replies and timers and closes the transport", async () => {
    const r = await rig({ faults: [{ atMs: 5000, action: "remove-card" }] });
    await r.send(COMMANDS.findCard);
    expect(r.clock.pendingCount).toBeGreaterThan(0);
    await r.simulator.stop();
    expect(r.clock.pendingCount).toBe(0);
    expect(r.link.device.isOpen).toBe(false);
    await advance(r.clock, 100);
    expect(r.received().length).toBe(0);
    await r.simulator.stop();
  });
});

describe("ReaderSimulator + IdCardReader: the session through injected faults", () => {
  async function session(faults: unknown[], options: { responder?: ReaderResponderOptions; pacing?: boolean } = {}) {
    const clock = new FakeClock(0);
    const link = createMemoryLink();
    const responder = new ReaderResponder({ card: CARD, ...options.responder });
    const simulator = new ReaderSimulator({ transport: link.device, clock, responder, pacing: options.pacing ?? true, faults: parseFaultScript(faults) });
    const reader = new IdCardReader({ transportFactory: () => link.host, clock, log: silentLogger });
    const events: { name: ReaderEventName; payload: ReaderEventMap[ReaderEventName] }[] = [];
    for (const name of ["reader-ready", "card-inserted", "card-read", "card-removed", "card-reread-required", "reader-error", "device-lost"] as const) {
      reader.on("test", name, (payload) => events.push({ name, payload }));
    }
    await simulator.start();
    await reader.start();
    const names = (): string[] => events.map((e) => e.name);
    const errors = (): ReaderEventMap["reader-error"][] => events.filter((e) => e.name === "reader-error").map((e) => e.payload as ReaderEventMap["reader-error"]);
    const stop = async (): Promise<void> => {
      await reader.stop();
      await simulator.stop();
      expect(clock.pendingCount).toBe(0);
    };
    return { clock, reader, simulator, responder, names, errors, stop };
  }

  test("garbage before every reply: the card is still read, the garbage is counted", async () => {
    const s = await session([{ fault: "garbage", bytes: 23, count: 10 }]);
    await advance(s.clock, 600);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    expect(s.reader.counters.garbageBytes).toBe(4 * 23);
    await s.stop();
  });

  test("a read reply split into chunks with pauses is reassembled", async () => {
    const s = await session([{ command: "readBase", fault: "split", chunks: 6, gapMs: 40 }]);
    await advance(s.clock, 800);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    await s.stop();
  });

  test("a bad checksum on the read reply: retried from find, then read, without a reader-error", async () => {
    const s = await session([{ command: "readBase", fault: "bad-checksum" }]);
    await advance(s.clock, 1000);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    expect(s.reader.counters.badReplies).toBe(1);
    expect(s.simulator.counters.requests).toBe(7);
    await s.stop();
  });

  test("a read reply stalling mid-frame: the 3 s timeout flushes it and the retry reads the card", async () => {
    const s = await session([{ command: "readBase", fault: "stall", afterBytes: 700 }]);
    await advance(s.clock, 3000);
    expect(s.names()).toEqual(["reader-ready", "card-inserted"]);
    await advance(s.clock, 700);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    expect(s.reader.counters.timeouts).toBe(1);
    await s.stop();
  });

  test("a stall that resumes after the inter-byte timeout: the stale bytes are dropped and the retry reads the card", async () => {
    const s = await session([{ command: "readBase", fault: "stall", afterBytes: 700, resumeAfterMs: 1000 }]);
    await advance(s.clock, 4500);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    await s.stop();
  });

  test("the card removed mid-read: reader-error (41, retryable) and the re-read prompt; re-placed → read", async () => {
    const s = await session([{ command: "readBase", fault: "card-removed", reinsertAfterMs: 2000 }]);
    await advance(s.clock, 600);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "reader-error", "card-reread-required"]);
    expect(s.errors()[0]).toMatchObject({ code: "card-read-failed", retryable: true, status: { code: 0x41, name: "read-failed" } });
    expect(s.reader.state).toBe("awaiting-removal");
    await advance(s.clock, 2000);
    expect(s.names().slice(4)).toEqual(["card-removed", "card-inserted", "card-read"]);
    await s.stop();
  });

  test("no card (80) on one find: that poll sees nothing, the next one reads the card", async () => {
    const s = await session([{ command: "findCard", fault: "no-card" }]);
    await advance(s.clock, 100);
    expect(s.names()).toEqual(["reader-ready"]);
    await advance(s.clock, 600);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    await s.stop();
  });

  test("SAM failure (60) at start: sam-failed, then recovery at the next status check", async () => {
    const s = await session([{ command: "samStatus", fault: "sam-failure" }]);
    await advance(s.clock, 100);
    expect(s.names()).toEqual(["reader-error"]);
    expect(s.errors()[0]).toMatchObject({ code: "sam-failed", retryable: false });
    expect(s.reader.status().state).toBe("error");
    await advance(s.clock, 5600);
    expect(s.names()).toEqual(["reader-error", "reader-ready", "card-inserted", "card-read"]);
    await s.stop();
  });

  test("SAM authentication failures on the read (31, then 32): card-read-failed with the status", async () => {
    const s = await session([{ command: "readBase", fault: "auth-failure", sw3: "0x31" }, { command: "readBase", occurrence: 2, fault: "auth-failure" }]);
    await advance(s.clock, 1500);
    expect(s.errors()).toHaveLength(1);
    expect(s.errors()[0]).toMatchObject({ code: "card-read-failed", status: { code: 0x32, name: "sam-auth-card-failed" } });
    await s.stop();
  });

  test("timed removal and insertion: card-removed, then a new read", async () => {
    const s = await session([{ atMs: 2000, action: "remove-card" }, { atMs: 4000, action: "insert-card" }], { responder: { rereadBehaviour: "rereads" } });
    await advance(s.clock, 5000);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-removed", "card-inserted", "card-read"]);
    await s.stop();
  });

  test("a reads-once simulated reader: the session asks for a re-placement and never reads twice", async () => {
    const s = await session([], { responder: { rereadBehaviour: "reads-once" } });
    await advance(s.clock, 4000);
    expect(s.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-reread-required"]);
    expect(s.reader.state).toBe("awaiting-removal");
    await s.stop();
  });
});
