import { describe, expect, test } from "bun:test";
import { isKioskError, silentLogger } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import type { ByteTransport, TransportClosed } from "../transport/byte-transport.ts";
import { CommandChannel, replyFitsCommand } from "./command-channel.ts";
import { commandTimeouts } from "./command-timeouts.ts";
import { encodeBaseMessageReply } from "./protocol/base-message-encoder.ts";
import { COMMANDS } from "./protocol/constants.ts";
import { encodeCommand, encodeResponse, readRequest, decodeFrame } from "./protocol/frame.ts";

/** A transport whose test decides when bytes arrive. */
class ManualTransport implements ByteTransport {
  readonly description = "test:manual";
  isOpen = true;
  readonly written: Uint8Array[] = [];
  writeError: Error | undefined;
  readonly #data = new Set<(chunk: Uint8Array) => void>();

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async write(bytes: Uint8Array): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.written.push(bytes.slice());
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }
  onClose(_listener: (reason: TransportClosed) => void): () => void {
    return () => {};
  }
  deliver(...chunks: Uint8Array[]): void {
    for (const chunk of chunks) for (const listener of this.#data) listener(chunk);
  }
  /** CMD PARA of each written request, e.g. "20 01". */
  commands(): string[] {
    return this.written.map((bytes) => {
      const decoded = decodeFrame(bytes);
      if (!decoded.ok) return "?";
      const r = readRequest(decoded.frame);
      return `${r.cmd.toString(16)} ${r.para.toString(16).padStart(2, "0")}`;
    });
  }
}

const FIND_OK = encodeResponse(0, 0, 0x9f, new Uint8Array(4));
const SELECT_OK = encodeResponse(0, 0, 0x90, new Uint8Array(8));
const NO_CARD = encodeResponse(0, 0, 0x80);
const READ_OK = encodeBaseMessageReply({ text: new Uint8Array(256), photo: new Uint8Array(1024) }, "base");

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/**
 * Records how a promise settles, so a test can assert on a promise that may
 * never settle without awaiting it.
 */
function outcomeOf<T>(promise: Promise<T>): { settled: { resolved: T } | { rejected: unknown } | undefined } {
  const outcome: { settled: { resolved: T } | { rejected: unknown } | undefined } = { settled: undefined };
  promise.then(
    (resolved) => (outcome.settled = { resolved }),
    (rejected: unknown) => (outcome.settled = { rejected }),
  );
  return outcome;
}

function setup(): { transport: ManualTransport; clock: FakeClock; channel: CommandChannel } {
  const transport = new ManualTransport();
  const clock = new FakeClock();
  const channel = new CommandChannel({ transport, clock, timeouts: commandTimeouts(), log: silentLogger });
  channel.attach();
  return { transport, clock, channel };
}

describe("CommandChannel: one command at a time, replies paired", () => {
  test("a second command is written only after the first one's reply", async () => {
    const { transport, channel } = setup();
    const first = channel.execute("findCard");
    const second = channel.execute("selectCard");
    await settle();
    expect(transport.commands()).toEqual(["20 01"]);
    transport.deliver(FIND_OK);
    expect(await first).toMatchObject({ kind: "reply", status: { name: "card-found" } });
    await settle();
    expect(transport.commands()).toEqual(["20 01", "20 02"]);
    transport.deliver(SELECT_OK);
    expect(await second).toMatchObject({ kind: "reply", status: { name: "ok" } });
    expect(channel.counters.commands).toBe(2);
  });

  test("a reply split into single bytes is reassembled", async () => {
    const { transport, channel } = setup();
    const pending = channel.execute("readBase");
    await settle();
    for (const byte of READ_OK) transport.deliver(Uint8Array.of(byte));
    const result = await pending;
    expect(result.kind === "reply" && result.frame.bytes.length).toBe(1295);
  });

  test("no reply: resolves `timeout` after the table's value, flushing a partial reply", async () => {
    const { transport, clock, channel } = setup();
    const pending = channel.execute("selectCard");
    await settle();
    transport.deliver(SELECT_OK.subarray(0, 9));
    await clock.advance(499);
    let settled = false;
    void pending.then(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await pending).toEqual({ kind: "timeout", timeoutMs: 500, partialBytes: 9 });
    expect(clock.pendingCount).toBe(0);
    expect(channel.counters.timeouts).toBe(1);
    // The rest of the late reply is garbage now; the next command gets its own reply.
    const next = channel.execute("findCard");
    await settle();
    transport.deliver(SELECT_OK.subarray(9), FIND_OK);
    expect(await next).toMatchObject({ kind: "reply", status: { code: 0x9f } });
  });

  test("the read timeout is 3 s", async () => {
    const { clock, channel } = setup();
    const pending = channel.execute("readBase");
    await clock.advance(3000);
    expect(await pending).toMatchObject({ kind: "timeout", timeoutMs: 3000 });
  });

  test("a late reply that cannot answer the waiting command is dropped, not paired", async () => {
    const { transport, channel } = setup();
    const pending = channel.execute("findCard");
    await settle();
    // A read reply (90 + 1288 bytes) and a select reply (90 + 8) cannot answer find.
    transport.deliver(READ_OK, SELECT_OK, NO_CARD);
    expect(await pending).toMatchObject({ kind: "reply", status: { code: 0x80 } });
    expect(channel.counters.mismatchedFrames).toBe(2);
  });

  test("frames arriving while no command waits are counted as stale", () => {
    const { transport, channel } = setup();
    transport.deliver(FIND_OK);
    expect(channel.counters.staleFrames).toBe(1);
  });

  test("garbage before the reply is skipped", async () => {
    const { transport, channel } = setup();
    const pending = channel.execute("findCard");
    await settle();
    transport.deliver(Uint8Array.of(0x00, 0xaa, 0x13, 0xaa, 0xaa, 0x37), FIND_OK);
    expect(await pending).toMatchObject({ kind: "reply", status: { code: 0x9f } });
    expect(channel.counters.deframer.garbageBytes).toBe(6);
  });

  test("a reply with a bad checksum answers `bad-reply` at once", async () => {
    const { transport, channel, clock } = setup();
    const pending = channel.execute("findCard");
    await settle();
    const damaged = FIND_OK.slice();
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 0xff;
    transport.deliver(damaged);
    expect(await pending).toEqual({ kind: "bad-reply", reason: "bad-checksum" });
    expect(clock.pendingCount).toBe(0);
    expect(channel.counters.badReplies).toBe(1);
  });

  test("replyFitsCommand knows each command's reply shape", () => {
    const view = (bytes: Uint8Array) => {
      const d = decodeFrame(bytes);
      if (!d.ok) throw new Error(d.message);
      return { sw1: 0, sw2: 0, sw3: d.frame.payload[2] ?? 0, data: d.frame.payload.subarray(3) };
    };
    expect(replyFitsCommand("findCard", view(FIND_OK))).toBe(true);
    expect(replyFitsCommand("findCard", view(NO_CARD))).toBe(true);
    expect(replyFitsCommand("selectCard", view(FIND_OK))).toBe(false);
    expect(replyFitsCommand("readBase", view(SELECT_OK))).toBe(false);
    expect(replyFitsCommand("readBase", view(READ_OK))).toBe(true);
    expect(replyFitsCommand("samStatus", view(SELECT_OK))).toBe(false);
    expect(replyFitsCommand("samStatus", view(encodeResponse(0, 0, 0x90)))).toBe(true);
  });
});

describe("CommandChannel: cancellation and loss", () => {
  test("an abort while waiting for the reply rejects with the reason and clears the timer", async () => {
    const { channel, clock } = setup();
    const controller = new AbortController();
    const pending = channel.execute("readBase", { signal: controller.signal });
    await settle();
    controller.abort(new Error("user left"));
    await expect(pending).rejects.toThrow("user left");
    expect(clock.pendingCount).toBe(0);
  });

  test("an abort while queued rejects without ever writing the command", async () => {
    const { transport, channel } = setup();
    const first = channel.execute("findCard");
    const controller = new AbortController();
    const queued = channel.execute("selectCard", { signal: controller.signal });
    controller.abort(new Error("never mind"));
    await expect(queued).rejects.toThrow("never mind");
    transport.deliver(FIND_OK);
    await first;
    await settle();
    expect(transport.commands()).toEqual(["20 01"]);
  });

  test("an abort after the line is taken but before the write: nothing is written, the caller gets the reason, the line is free", async () => {
    const { transport, channel, clock } = setup();
    const controller = new AbortController();
    // The line is free, so execute() takes it at once and writes on its next turn; the abort lands in between.
    const aborted = outcomeOf(channel.execute("findCard", { signal: controller.signal }));
    controller.abort(new Error("user left"));
    await settle();
    expect(aborted.settled).toEqual({ rejected: new Error("user left") });
    expect(transport.written).toEqual([]);
    expect(clock.pendingCount).toBe(0);
    const next = channel.execute("selectCard");
    await settle();
    expect(transport.commands()).toEqual(["20 02"]);
    transport.deliver(SELECT_OK);
    expect(await next).toMatchObject({ kind: "reply", status: { name: "ok" } });
  });

  test("an abort at any turn while a queued command takes over the line: the caller gets the reason at once, the line passes on", async () => {
    // The queued command is handed the line a few microtask turns after the first reply;
    // sweeping the abort over those turns also hits the gap between taking the line and writing.
    for (let turns = 0; turns < 12; turns++) {
      const { transport, channel } = setup();
      const first = channel.execute("findCard");
      const controller = new AbortController();
      const queued = outcomeOf(channel.execute("selectCard", { signal: controller.signal }));
      await settle();
      transport.deliver(FIND_OK);
      for (let i = 0; i < turns; i++) await Promise.resolve();
      controller.abort(new Error("never mind"));
      await settle();
      expect({ turns, settled: queued.settled }).toEqual({ turns, settled: { rejected: new Error("never mind") } });
      await first;
      const third = channel.execute("findCard");
      await settle();
      expect(transport.commands().at(-1)).toBe("20 01");
      transport.deliver(NO_CARD);
      expect(await third).toMatchObject({ kind: "reply", status: { code: 0x80 } });
    }
  });

  test("an already aborted signal rejects at once", async () => {
    const { channel } = setup();
    await expect(channel.execute("findCard", { signal: AbortSignal.abort(new Error("gone")) })).rejects.toThrow("gone");
  });

  test("detach() fails the command in flight and the queued ones with device-unavailable, and later ones too", async () => {
    const { channel, clock } = setup();
    const inFlight = channel.execute("findCard");
    const queued = channel.execute("selectCard");
    await settle();
    channel.detach();
    for (const p of [inFlight, queued, channel.execute("findCard")]) {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isKioskError(error, "device-unavailable")).toBe(true);
    }
    expect(clock.pendingCount).toBe(0);
  });

  test("a failing write rejects with device-unavailable", async () => {
    const { transport, channel } = setup();
    transport.writeError = new Error("EIO");
    const error = await channel.execute("findCard").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
  });

  test("a request carries the command's DATA bytes", async () => {
    const { transport, channel } = setup();
    const pending = channel.execute("setMaxRfBytes", { data: Uint8Array.of(0x50) });
    await settle();
    expect([...(transport.written[0] ?? [])]).toEqual([...encodeCommand(COMMANDS.setMaxRfBytes, Uint8Array.of(0x50))]);
    transport.deliver(encodeResponse(0, 0, 0x90));
    expect(await pending).toMatchObject({ kind: "reply", status: { code: 0x90 } });
  });
});
