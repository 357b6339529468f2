import { describe, expect, test } from "bun:test";
import { deviceStatusSchema, KioskError, silentLogger } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import type { ByteTransport, TransportClosed } from "../transport/byte-transport.ts";
import { padPhoto } from "./protocol/base-message-encoder.ts";
import { encodeCardText } from "./protocol/card-text-encoder.ts";
import { RESIDENT_FIELDS } from "./protocol/constants.ts";
import { decodeFrame, encodeResponse, readRequest } from "./protocol/frame.ts";
import { SYNTHETIC_RESIDENT_CARD } from "./protocol/testdata/expected-cards.ts";
import { IdCardReader, type IdCardReaderOptions } from "./reader.ts";
import type { ReaderEventMap, ReaderEventName } from "./reader-events.ts";
import { ReaderResponder, simulatedCommandOf, type ReaderResponderOptions, type SimulatedCard, type SimulatedCommand } from "./simulator/reader-responder.ts";

// ---------------------------------------------------------------------------
// Harness: a scripted transport answering through a ReaderResponder, a fake
// clock, and a recorder of every event.
// ---------------------------------------------------------------------------

const PHOTO = padPhoto(Uint8Array.of(0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32));
const CARD: SimulatedCard = { text: encodeCardText(SYNTHETIC_RESIDENT_CARD), photo: PHOTO, fingerprint: new Uint8Array(0) };

/** What the script returns for a request: reply bytes, or nothing (the reader stays silent). */
type Handler = (request: Uint8Array, command: SimulatedCommand | undefined, responder: ReaderResponder, n: number) => Uint8Array | undefined;

class ScriptedTransport implements ByteTransport {
  readonly description = "test:scripted";
  readonly requests: (SimulatedCommand | "unknown")[] = [];
  readonly writeTimes: number[] = [];
  opens = 0;
  closes = 0;
  openError: Error | undefined;
  /** Reply delay in ms on the fake clock; 0 delivers on a microtask. */
  replyDelayMs = 0;
  /** Requests written whose reply has not been delivered yet. */
  outstanding = 0;
  maxOutstanding = 0;
  #open = false;
  readonly #counts = new Map<string, number>();
  readonly #data = new Set<(chunk: Uint8Array) => void>();
  readonly #close = new Set<(reason: TransportClosed) => void>();

  constructor(
    readonly clock: FakeClock,
    public handler: Handler,
    readonly responder: ReaderResponder,
  ) {}

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    this.opens++;
    if (this.openError) throw this.openError;
    this.#open = true;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.closes++;
    for (const l of [...this.#close]) l({ unexpected: false });
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#open) throw new KioskError("device-unavailable", "closed");
    const decoded = decodeFrame(bytes);
    const command = decoded.ok ? simulatedCommandOf(readRequest(decoded.frame)) : undefined;
    const key = command ?? "unknown";
    const n = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, n);
    this.requests.push(key);
    this.writeTimes.push(this.clock.now());
    const reply = this.handler(bytes, command, this.responder, n);
    if (!reply) return;
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    const deliver = (): void => {
      this.outstanding--;
      if (this.#open) for (const l of [...this.#data]) l(reply);
    };
    if (this.replyDelayMs > 0) this.clock.setTimeout(deliver, this.replyDelayMs);
    else queueMicrotask(deliver);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onClose(listener: (reason: TransportClosed) => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }

  /** The device goes away: the transport closes by itself. */
  hangUp(): void {
    if (!this.#open) return;
    this.#open = false;
    for (const l of [...this.#close]) l({ unexpected: true, error: new KioskError("device-unavailable", "Serial port went away") });
  }

  count(command: SimulatedCommand): number {
    return this.requests.filter((r) => r === command).length;
  }
}

const ALL_EVENTS: ReaderEventName[] = ["reader-ready", "card-inserted", "card-read", "card-removed", "card-reread-required", "reader-error", "device-lost", "state-changed"];

interface Harness {
  clock: FakeClock;
  responder: ReaderResponder;
  transport: ScriptedTransport;
  reader: IdCardReader;
  factoryCalls: number[];
  events: { name: ReaderEventName; payload: ReaderEventMap[ReaderEventName]; atMs: number }[];
  /** Event names in order, without `state-changed`. */
  names: () => string[];
  payloads: <K extends ReaderEventName>(name: K) => ReaderEventMap[K][];
}

function harness(
  options: { responder?: ReaderResponderOptions; reader?: Partial<IdCardReaderOptions>; handler?: Handler; factory?: (h: { transport: ScriptedTransport }) => ByteTransport } = {},
): Harness {
  const clock = new FakeClock();
  const responder = new ReaderResponder({ card: CARD, ...options.responder });
  const transport = new ScriptedTransport(clock, options.handler ?? ((request, _c, r) => r.respond(request)), responder);
  const factoryCalls: number[] = [];
  const reader = new IdCardReader({
    transportFactory: () => {
      factoryCalls.push(clock.now());
      return options.factory ? options.factory({ transport }) : transport;
    },
    clock,
    log: silentLogger,
    ...options.reader,
  });
  const events: Harness["events"] = [];
  for (const name of ALL_EVENTS) reader.on("test", name, (payload) => events.push({ name, payload, atMs: clock.now() }));
  return {
    clock,
    responder,
    transport,
    reader,
    factoryCalls,
    events,
    names: () => events.filter((e) => e.name !== "state-changed").map((e) => e.name),
    payloads: <K extends ReaderEventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as ReaderEventMap[K]),
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** Moves the fake clock forward 1 ms at a time, letting every chain of promises run in between. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  await settle();
  for (let t = 0; t < ms; t++) {
    await clock.advance(1);
    await settle();
  }
}

/** A handler that answers through the responder except where `overrides` says otherwise. */
function script(overrides: Partial<Record<SimulatedCommand, (n: number, request: Uint8Array, r: ReaderResponder) => Uint8Array | undefined | "pass">>): Handler {
  return (request, command, responder, n) => {
    const override = command ? overrides[command] : undefined;
    if (!override) return responder.respond(request);
    const result = override(n, request, responder);
    return result === "pass" ? responder.respond(request) : result;
  };
}

const status = (sw3: number): Uint8Array => encodeResponse(0, 0, sw3);

// ---------------------------------------------------------------------------

describe("IdCardReader: reading a card", () => {
  test("status, find, select, read: reader-ready, card-inserted, card-read with the parsed card and raw photo", async () => {
    const h = harness();
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.requests).toEqual(["samStatus", "findCard", "selectCard", "readBase"]);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    const [read] = h.payloads("card-read");
    expect(read?.identity.card).toEqual(SYNTHETIC_RESIDENT_CARD);
    expect(read?.identity.layout).toBe("base");
    expect([...(read?.photo ?? [])]).toEqual([...PHOTO]);
    expect(read?.identity.photo.format).toBe("wlt");
    expect(read?.foundAtMs).toBeLessThanOrEqual(read?.atMs ?? 0);
    expect(h.reader.state).toBe("card-present");
    await h.reader.stop();
  });

  test("polls find every pollIntervalMs while no card lies on the reader", async () => {
    const h = harness({ responder: { cardPresent: false } });
    await h.reader.start();
    await advance(h.clock, 900);
    expect(h.transport.count("findCard")).toBe(4);
    const finds = h.transport.writeTimes.filter((_, i) => h.transport.requests[i] === "findCard");
    expect(finds.map((t) => t - (finds[0] ?? 0))).toEqual([0, 300, 600, 900]);
    expect(h.reader.state).toBe("waiting-for-card");
    await h.reader.stop();
  });

  test("readCommand readBaseWithFingerprint sends 30 10; readAppendedAddress adds 30 03", async () => {
    const h = harness({
      responder: { card: { ...CARD, fingerprint: new Uint8Array(512), appendedAddress: "北京市西城区示例街" } },
      reader: { readCommand: "readBaseWithFingerprint", readAppendedAddress: true },
    });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.requests).toEqual(["samStatus", "findCard", "selectCard", "readBaseWithFingerprint", "readAppendedAddress"]);
    const [read] = h.payloads("card-read");
    expect(read?.identity.layout).toBe("base-fingerprint");
    expect(read?.identity.fingerprint.length).toBe(512);
    expect(read?.appendedAddress).toBe("北京市西城区示例街");
    await h.reader.stop();
  });

  test("a card without an appended address (SW3 91) is read without one", async () => {
    const h = harness({ reader: { readAppendedAddress: true } });
    await h.reader.start();
    await advance(h.clock, 0);
    const [read] = h.payloads("card-read");
    expect(read).toBeDefined();
    expect(read && "appendedAddress" in read).toBe(false);
    await h.reader.stop();
  });
});

describe("IdCardReader: timeouts and bounded retries", () => {
  test("a silent find is retried twice at its 500 ms timeout, then one no-response error; after 3 such polls the device is reopened", async () => {
    const h = harness({ handler: script({ findCard: () => undefined }) });
    await h.reader.start();
    await advance(h.clock, 1499);
    expect(h.transport.count("findCard")).toBe(3);
    expect(h.payloads("reader-error")).toEqual([]);
    await advance(h.clock, 1);
    expect(h.payloads("reader-error")).toEqual([{ code: "no-response", message: expect.stringContaining("within 500 ms"), retryable: true, atMs: h.clock.now() }]);
    // Polls 2 and 3 (each 300 ms pause + 3 × 500 ms) fail too: the device is closed and reopened after the back-off.
    await advance(h.clock, 2 * (300 + 1500));
    expect(h.transport.closes).toBe(1);
    expect(h.payloads("reader-error")).toHaveLength(1);
    expect(h.reader.state).toBe("connecting");
    await advance(h.clock, 250);
    expect(h.factoryCalls).toHaveLength(2);
    expect(h.names().filter((n) => n === "reader-ready")).toHaveLength(2);
    await h.reader.stop();
  });

  test("select failing once (SW3 81) is retried once, and the read succeeds", async () => {
    const h = harness({ handler: script({ selectCard: (n) => (n === 1 ? status(0x81) : "pass") }) });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.requests).toEqual(["samStatus", "findCard", "selectCard", "selectCard", "readBase"]);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    await h.reader.stop();
  });

  test("a read failing with SW3 41 (card moved) restarts from find and succeeds", async () => {
    const h = harness({ handler: script({ readBase: (n) => (n === 1 ? status(0x41) : "pass") }) });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.requests).toEqual(["samStatus", "findCard", "selectCard", "readBase", "findCard", "selectCard", "readBase"]);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    await h.reader.stop();
  });

  test("a read timing out after 3 s is retried from find", async () => {
    const h = harness({ handler: script({ readBase: (n) => (n === 1 ? undefined : "pass") }) });
    await h.reader.start();
    await advance(h.clock, 2999);
    expect(h.names()).toEqual(["reader-ready", "card-inserted"]);
    await advance(h.clock, 1);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
    expect(h.transport.count("readBase")).toBe(2);
    await h.reader.stop();
  });

  test("select failing every time: 2 × 2 selects, then card-read-failed (retryable, with the status), awaiting-removal, no re-read of that placement", async () => {
    const h = harness({ handler: script({ selectCard: () => status(0x81) }) });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.requests).toEqual(["samStatus", "findCard", "selectCard", "selectCard", "findCard", "selectCard", "selectCard"]);
    const [error] = h.payloads("reader-error");
    expect(error).toMatchObject({ code: "card-read-failed", retryable: true, status: { code: 0x81, name: "select-failed" } });
    expect(h.payloads("card-reread-required")).toEqual([{ reason: "read-failed", atMs: expect.any(Number) }]);
    expect(h.reader.state).toBe("awaiting-removal");
    // The card stays: only finds follow, no select.
    await advance(h.clock, 1500);
    expect(h.transport.count("selectCard")).toBe(4);
    expect(h.transport.requests.slice(7).every((r) => r === "findCard")).toBe(true);
    await h.reader.stop();
  });

  test("a non-retryable status (SW3 40, unknown card type) is not retried", async () => {
    const h = harness({ handler: script({ readBase: () => status(0x40) }) });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.count("readBase")).toBe(1);
    expect(h.payloads("reader-error")[0]).toMatchObject({ code: "card-read-failed", retryable: false, status: { code: 0x40 } });
    await h.reader.stop();
  });

  test("a card whose text cannot be parsed gives card-unreadable once, without a retry", async () => {
    const text = CARD.text.slice();
    text[RESIDENT_FIELDS.sex.offset] = "3".charCodeAt(0);
    const h = harness({ responder: { card: { ...CARD, text } } });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.transport.count("readBase")).toBe(1);
    expect(h.payloads("reader-error")).toEqual([
      { code: "card-unreadable", message: expect.stringContaining('sex code "3"'), retryable: false, atMs: expect.any(Number) },
    ]);
    expect(h.reader.state).toBe("awaiting-removal");
    await h.reader.stop();
  });

  test("replies with a bad checksum are retried as find; if they persist the error is bad-reply", async () => {
    const damaged = (r: ReaderResponder, request: Uint8Array): Uint8Array => {
      const reply = r.respond(request).slice();
      reply[reply.length - 1] = (reply[reply.length - 1] ?? 0) ^ 0xff;
      return reply;
    };
    const h = harness({ handler: script({ findCard: (n, request, r) => (n <= 3 ? damaged(r, request) : "pass") }) });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.payloads("reader-error")).toEqual([{ code: "bad-reply", message: expect.stringContaining("bad-checksum"), retryable: true, atMs: expect.any(Number) }]);
    await advance(h.clock, 300);
    expect(h.names()).toContain("card-read");
    await h.reader.stop();
  });
});

describe("IdCardReader: removal, for both reader behaviours", () => {
  test("rereads reader: the card stays (card-present, no second read); lifted → card-removed after 2 missed finds", async () => {
    const h = harness({ reader: { rereadBehaviour: "rereads" } });
    await h.reader.start();
    await advance(h.clock, 1200);
    expect(h.transport.count("readBase")).toBe(1);
    expect(h.reader.state).toBe("card-present");
    h.responder.removeCard();
    await advance(h.clock, 300);
    expect(h.names()).not.toContain("card-removed");
    await advance(h.clock, 300);
    expect(h.payloads("card-removed")).toEqual([{ reason: "removed", atMs: expect.any(Number) }]);
    expect(h.reader.state).toBe("waiting-for-card");
    h.responder.insertCard();
    await advance(h.clock, 300);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-removed", "card-inserted", "card-read"]);
    await h.reader.stop();
  });

  test("reads-once reader: awaiting-removal after the read; 80s are not a removal; re-placing gives replaced + a new read", async () => {
    const h = harness({ responder: { rereadBehaviour: "reads-once" }, reader: { rereadBehaviour: "reads-once" } });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-reread-required"]);
    expect(h.payloads("card-reread-required")[0]?.reason).toBe("hidden-after-read");
    expect(h.reader.state).toBe("awaiting-removal");
    await advance(h.clock, 3000);
    expect(h.names()).not.toContain("card-removed");
    h.responder.removeCard();
    await advance(h.clock, 600);
    h.responder.insertCard();
    await advance(h.clock, 300);
    expect(h.names()).toEqual([
      "reader-ready",
      "card-inserted",
      "card-read",
      "card-reread-required",
      "card-removed",
      "card-inserted",
      "card-read",
      "card-reread-required",
    ]);
    expect(h.payloads("card-removed")).toEqual([{ reason: "replaced", atMs: expect.any(Number) }]);
    await h.reader.stop();
  });

  test("auto with a reads-once reader never reports a removal while the card lies there", async () => {
    const h = harness({ responder: { rereadBehaviour: "reads-once" } });
    await h.reader.start();
    await advance(h.clock, 5000);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-reread-required"]);
    expect(h.reader.state).toBe("awaiting-removal");
    expect(h.transport.count("readBase")).toBe(1);
    await h.reader.stop();
  });

  test("auto with a rereads reader learns it from the next find, then reports removals as they happen", async () => {
    const h = harness({ responder: { rereadBehaviour: "rereads" } });
    await h.reader.start();
    await advance(h.clock, 300);
    expect(h.reader.state).toBe("card-present");
    h.responder.removeCard();
    await advance(h.clock, 600);
    expect(h.payloads("card-removed")).toEqual([{ reason: "removed", atMs: expect.any(Number) }]);
    // Learned: a card lifted right after its read is reported as removed, not as hidden.
    h.responder.insertCard();
    await advance(h.clock, 300);
    h.responder.removeCard();
    await advance(h.clock, 600);
    expect(h.payloads("card-removed").map((p) => p.reason)).toEqual(["removed", "removed"]);
    expect(h.names()).not.toContain("card-reread-required");
    await h.reader.stop();
  });

  test("auto, before learning: a card lifted right after its read is hidden, and reported when the next card comes", async () => {
    const h = harness({ responder: { rereadBehaviour: "rereads" } });
    await h.reader.start();
    await advance(h.clock, 0);
    h.responder.removeCard();
    await advance(h.clock, 600);
    expect(h.reader.state).toBe("awaiting-removal");
    expect(h.names()).not.toContain("card-removed");
    h.responder.insertCard();
    await advance(h.clock, 300);
    expect(h.payloads("card-removed")).toEqual([{ reason: "replaced", atMs: expect.any(Number) }]);
    expect(h.transport.count("readBase")).toBe(2);
    await h.reader.stop();
  });

  test("after a failed read, a rereads reader reports the lift and reads the card placed again", async () => {
    const h = harness({ reader: { rereadBehaviour: "rereads" }, handler: script({ readBase: (n) => (n <= 2 ? status(0x32) : "pass") }) });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.payloads("reader-error")[0]).toMatchObject({ code: "card-read-failed", status: { code: 0x32 } });
    expect(h.reader.state).toBe("awaiting-removal");
    await advance(h.clock, 900);
    expect(h.transport.count("readBase")).toBe(2);
    h.responder.removeCard();
    await advance(h.clock, 600);
    expect(h.payloads("card-removed")).toEqual([{ reason: "removed", atMs: expect.any(Number) }]);
    h.responder.insertCard();
    await advance(h.clock, 300);
    expect(h.names().slice(-2)).toEqual(["card-inserted", "card-read"]);
    await h.reader.stop();
  });
});

describe("IdCardReader: a card lifted during its read", () => {
  test("on a rereads reader it is a removal: waiting-for-card again, and the card placed again is read", async () => {
    const h = harness({
      reader: { rereadBehaviour: "rereads" },
      handler: script({
        readBase: (n, _request, r) => {
          if (n > 1) return "pass";
          // Moved off the reader during the read (SW3 41); the retry's find sees no card.
          r.removeCard();
          return status(0x41);
        },
      }),
    });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "reader-error", "card-removed"]);
    expect(h.payloads("card-removed")).toEqual([{ reason: "removed", atMs: expect.any(Number) }]);
    expect(h.reader.state).toBe("waiting-for-card");
    h.responder.insertCard();
    await advance(h.clock, 300);
    expect(h.names().slice(4)).toEqual(["card-inserted", "card-read"]);
    expect(h.reader.state).toBe("card-present");
    await h.reader.stop();
  });
});

describe("IdCardReader: the SAM", () => {
  test("a SAM failing its self-test at start: sam-failed (not retryable), state sam-error, no polling; recovery gives reader-ready", async () => {
    const h = harness({ responder: { samOk: false }, reader: { samRecheckMs: 1000 } });
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.payloads("reader-error")).toEqual([
      { code: "sam-failed", message: expect.stringContaining("sam-self-test-failed"), retryable: false, status: expect.objectContaining({ code: 0x60 }), atMs: expect.any(Number) },
    ]);
    expect(h.reader.state).toBe("sam-error");
    expect(h.reader.status()).toMatchObject({ state: "error", error: { code: "sam-failed" } });
    await advance(h.clock, 2000);
    expect(h.transport.count("findCard")).toBe(0);
    expect(h.payloads("reader-error")).toHaveLength(1);
    h.responder.setSamOk(true);
    await advance(h.clock, 1000);
    expect(h.names()).toEqual(["reader-error", "reader-ready", "card-inserted", "card-read"]);
    await h.reader.stop();
  });

  test("a SAM failing during polling (find answers 60) stops polling until it recovers", async () => {
    const h = harness({ responder: { cardPresent: false }, reader: { samRecheckMs: 1000 } });
    await h.reader.start();
    await advance(h.clock, 300);
    h.responder.setSamOk(false);
    await advance(h.clock, 300);
    expect(h.reader.state).toBe("sam-error");
    expect(h.payloads("reader-error")[0]?.code).toBe("sam-failed");
    await h.reader.stop();
  });
});

describe("IdCardReader: the device going away", () => {
  test("reconnects with exponential back-off capped at the maximum; device-lost once after deviceLostAfterMs", async () => {
    let available = false;
    const h = harness({
      reader: { reconnectInitialDelayMs: 250, reconnectMaxDelayMs: 2000, deviceLostAfterMs: 5000 },
      factory: ({ transport }) => {
        if (!available) throw new KioskError("device-unavailable", 'Serial port "/dev/ttyUSB0" does not exist');
        return transport;
      },
    });
    await h.reader.start();
    expect(h.reader.status()).toMatchObject({ state: "starting" });
    await advance(h.clock, 4999);
    expect(h.factoryCalls).toEqual([0, 250, 750, 1750, 3750].map((t) => t + (h.factoryCalls[0] ?? 0)));
    expect(h.names()).toEqual(["reader-error"]);
    expect(h.payloads("reader-error")[0]).toMatchObject({ code: "device-unavailable", retryable: true, message: expect.stringContaining("does not exist") });
    await advance(h.clock, 1);
    expect(h.payloads("device-lost")).toEqual([
      { unavailableForMs: 5000, lastError: { code: "device-unavailable", message: expect.stringContaining("does not exist") }, atMs: expect.any(Number) },
    ]);
    expect(h.reader.status()).toMatchObject({ state: "unavailable", error: { code: "device-unavailable" } });
    await advance(h.clock, 6000);
    expect(h.payloads("device-lost")).toHaveLength(1);
    const start = h.factoryCalls[0] ?? 0;
    expect(h.factoryCalls.map((t) => t - start)).toEqual([0, 250, 750, 1750, 3750, 5750, 7750, 9750]);
    available = true;
    await advance(h.clock, 2000);
    expect(h.names().slice(-3)).toEqual(["reader-ready", "card-inserted", "card-read"]);
    expect(h.reader.status()).toMatchObject({ state: "ready" });
    expect(h.reader.status().error).toBeUndefined();
    await h.reader.stop();
  });

  test("the transport closing with a card on it: card-removed (reader-disconnected), device-unavailable, reconnect after 250 ms", async () => {
    const h = harness();
    await h.reader.start();
    await advance(h.clock, 0);
    h.transport.hangUp();
    await advance(h.clock, 0);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-removed", "reader-error"]);
    expect(h.payloads("card-removed")[0]?.reason).toBe("reader-disconnected");
    expect(h.payloads("reader-error")[0]).toMatchObject({ code: "device-unavailable", retryable: true });
    expect(h.reader.state).toBe("connecting");
    expect(h.reader.status().state).toBe("unavailable");
    await advance(h.clock, 250);
    expect(h.factoryCalls).toHaveLength(2);
    expect(h.names().slice(5)).toEqual(["reader-ready", "card-inserted", "card-read"]);
    await h.reader.stop();
  });

  test("the transport closing mid-command fails that command and reconnects", async () => {
    const h = harness({ handler: script({ readBase: () => undefined }) });
    await h.reader.start();
    await advance(h.clock, 100);
    expect(h.reader.state).toBe("reading");
    h.transport.hangUp();
    await advance(h.clock, 0);
    expect(h.names()).toEqual(["reader-ready", "card-inserted", "card-removed", "reader-error"]);
    expect(h.clock.pendingCount).toBe(2); // the back-off and device-lost timers only
    await h.reader.stop();
  });

  test("a device that opens but never answers the SAM status is closed and retried; device-lost follows", async () => {
    const h = harness({ handler: () => undefined, reader: { deviceLostAfterMs: 3000 } });
    await h.reader.start();
    await advance(h.clock, 600);
    expect(h.payloads("reader-error")).toEqual([{ code: "no-response", message: expect.stringContaining("SAM status"), retryable: true, atMs: expect.any(Number) }]);
    expect(h.transport.closes).toBe(1);
    await advance(h.clock, 2400);
    expect(h.payloads("device-lost")).toHaveLength(1);
    expect(h.transport.opens).toBeGreaterThan(1);
    await h.reader.stop();
  });
});

/**
 * A transport with a driver bug: wraps the scripted one, and `fault(method)`
 * decides whether that call throws a TypeError instead of working.
 */
class FaultyTransport implements ByteTransport {
  constructor(
    readonly inner: ScriptedTransport,
    readonly fault: (method: "write" | "onClose") => boolean,
  ) {}
  get description(): string {
    return this.inner.description;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  open(): Promise<void> {
    return this.inner.open();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  write(bytes: Uint8Array): Promise<void> {
    if (this.fault("write")) throw new TypeError("Cannot read properties of undefined (reading 'write')");
    return this.inner.write(bytes);
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.inner.onData(listener);
  }
  onClose(listener: (reason: TransportClosed) => void): () => void {
    if (this.fault("onClose")) throw new TypeError("listener is not a function");
    return this.inner.onClose(listener);
  }
}

describe("IdCardReader: unexpected faults", () => {
  test("an unexpected error is reported as reader-fault (event and status) and the session restarts after the back-off", async () => {
    let writes = 0;
    // The second write (the first find, after the SAM status) throws.
    const h = harness({ factory: ({ transport }) => new FaultyTransport(transport, (method) => method === "write" && ++writes === 2) });
    const start = h.clock.now();
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.names()).toEqual(["reader-ready", "reader-error"]);
    const [fault] = h.payloads("reader-error");
    expect(fault).toEqual({ code: "reader-fault", message: expect.stringContaining('failed unexpectedly with "Cannot read properties of undefined'), retryable: true, atMs: start });
    expect(fault?.message).toContain("restarting in 250 ms");
    expect(h.reader.status()).toMatchObject({ state: "error", error: { code: "reader-fault" } });
    expect(deviceStatusSchema.parse(h.reader.status())).toEqual(h.reader.status());
    expect(h.reader.state).toBe("connecting");
    expect(h.transport.closes).toBe(1);
    await advance(h.clock, 249);
    expect(h.factoryCalls).toHaveLength(1);
    await advance(h.clock, 1);
    expect(h.factoryCalls.map((t) => t - start)).toEqual([0, 250]);
    expect(h.names()).toEqual(["reader-ready", "reader-error", "reader-ready", "card-inserted", "card-read"]);
    expect(h.reader.status()).toMatchObject({ state: "ready" });
    expect(h.reader.status().error).toBeUndefined();
    await h.reader.stop();
    expect(h.clock.pendingCount).toBe(0);
  });

  test("a fault on every connection restarts with doubling waits, is reported once, and stop() still ends it", async () => {
    const h = harness({ reader: { reconnectMaxDelayMs: 2000 }, factory: ({ transport }) => new FaultyTransport(transport, (method) => method === "onClose") });
    const start = h.clock.now();
    await h.reader.start();
    await advance(h.clock, 8000);
    expect(h.factoryCalls.map((t) => t - start)).toEqual([0, 250, 750, 1750, 3750, 5750, 7750]);
    expect(h.payloads("reader-error")).toEqual([{ code: "reader-fault", message: expect.stringContaining('"listener is not a function"'), retryable: true, atMs: start }]);
    expect(h.reader.status()).toMatchObject({ state: "error", error: { code: "reader-fault", message: expect.stringContaining("restarting in 2000 ms (fault 7 in a row)") } });
    await h.reader.stop();
    expect(h.reader.status().state).toBe("stopped");
    expect(h.clock.pendingCount).toBe(0);
  });
});

describe("IdCardReader: one command at a time, cancellable", () => {
  test("execute() from outside is queued behind the poll's command; never two requests in flight", async () => {
    const h = harness({ responder: { cardPresent: false } });
    h.transport.replyDelayMs = 50;
    await h.reader.start();
    await advance(h.clock, 60);
    // A find is in flight now (second poll starts at 50 + 300; first find is at 50).
    const samId = h.reader.execute("readSamId");
    await advance(h.clock, 400);
    const result = await samId;
    expect(result.kind === "reply" && result.response.data.length).toBe(16);
    expect(h.transport.maxOutstanding).toBe(1);
    await advance(h.clock, 1000);
    expect(h.transport.maxOutstanding).toBe(1);
    await h.reader.stop();
  });

  test("execute() can be cancelled with an AbortSignal while queued", async () => {
    const h = harness({ handler: script({ readBase: () => undefined }) });
    await h.reader.start();
    await advance(h.clock, 10);
    const controller = new AbortController();
    const pending = h.reader.execute("readSamId", { signal: controller.signal });
    controller.abort(new Error("technician cancelled"));
    await expect(pending).rejects.toThrow("technician cancelled");
    expect(h.transport.count("readSamId")).toBe(0);
    await h.reader.stop();
  });

  test("execute() before the reader is connected throws device-unavailable", async () => {
    const h = harness();
    await expect(h.reader.execute("readSamId")).rejects.toMatchObject({ code: "device-unavailable" });
  });
});

describe("IdCardReader: lifecycle and status", () => {
  test("stop() in mid-read ends the pending command, every timer and the transport; no event follows", async () => {
    const h = harness({ handler: script({ readBase: () => undefined }) });
    await h.reader.start();
    await advance(h.clock, 100);
    expect(h.clock.pendingCount).toBeGreaterThan(0);
    await h.reader.stop();
    expect(h.clock.pendingCount).toBe(0);
    expect(h.transport.isOpen).toBe(false);
    expect(h.reader.state).toBe("stopped");
    expect(h.reader.status().state).toBe("stopped");
    const count = h.events.length;
    await advance(h.clock, 5000);
    expect(h.events.length).toBe(count);
    await h.reader.stop();
  });

  test("stop() during the reconnect back-off leaves no timer", async () => {
    const h = harness({ factory: () => { throw new KioskError("device-unavailable", "missing"); } });
    await h.reader.start();
    await advance(h.clock, 300);
    await h.reader.stop();
    expect(h.clock.pendingCount).toBe(0);
  });

  test("stop() before start() does nothing; start() twice starts once", async () => {
    const h = harness();
    await h.reader.stop();
    await h.reader.start();
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.factoryCalls).toHaveLength(1);
    await h.reader.stop();
    // Restartable: a new session reads the card again.
    await h.reader.start();
    await advance(h.clock, 0);
    expect(h.payloads("card-read")).toHaveLength(2);
    await h.reader.stop();
  });

  test("status() always matches the DeviceStatus schema", async () => {
    const h = harness({ responder: { cardPresent: false }, reader: { kind: "serial" } });
    const seen = [h.reader.status()];
    await h.reader.start();
    seen.push(h.reader.status());
    await advance(h.clock, 0);
    seen.push(h.reader.status());
    h.transport.hangUp();
    await advance(h.clock, 0);
    seen.push(h.reader.status());
    await h.reader.stop();
    seen.push(h.reader.status());
    for (const s of seen) expect(deviceStatusSchema.parse(s)).toEqual(s);
    expect(seen.map((s) => s.state)).toEqual(["stopped", "starting", "ready", "unavailable", "stopped"]);
    expect(seen[2]).toMatchObject({ kind: "serial", detail: "test:scripted" });
  });

  test("the constructor rejects invalid options and does no work", () => {
    const clock = new FakeClock();
    let calls = 0;
    const base = { transportFactory: () => { calls++; throw new Error("unused"); }, clock, log: silentLogger };
    expect(() => new IdCardReader({ ...base, pollIntervalMs: 0 })).toThrow(/Invalid pollIntervalMs "0"/);
    expect(() => new IdCardReader({ ...base, findRetries: -1 })).toThrow(RangeError);
    expect(() => new IdCardReader({ ...base, rereadBehaviour: "sometimes" as never })).toThrow(/Invalid rereadBehaviour/);
    expect(() => new IdCardReader({ ...base, timeoutsMs: { readBase: -1 } })).toThrow(RangeError);
    new IdCardReader(base);
    expect(calls).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });

  test("subscriptions are keyed by owner: off(owner) removes them all", async () => {
    const h = harness();
    const owner = {};
    let seen = 0;
    h.reader.on(owner, "card-read", () => seen++);
    h.reader.on(owner, "reader-ready", () => seen++);
    h.reader.off(owner);
    await h.reader.start();
    await advance(h.clock, 0);
    expect(seen).toBe(0);
    expect(h.payloads("card-read")).toHaveLength(1);
    await h.reader.stop();
  });
});
