import { describe, expect, test } from "bun:test";
import { isKioskError, silentLogger, systemClock } from "@kiosk/contracts";
import { FakeHidDevice, waitFor } from "../../testing/index.ts";
import { HID_REPORT_BYTES } from "../protocol/constants.ts";
import { Deframer } from "../protocol/deframer.ts";
import { SYNTHETIC_RESIDENT_CARD } from "../protocol/testdata/expected-cards.ts";
import { encodeCardText } from "../protocol/card-text-encoder.ts";
import { padPhoto } from "../protocol/base-message-encoder.ts";
import { IdCardReader } from "../reader.ts";
import type { CardReadEvent } from "../reader-events.ts";
import { ReaderResponder } from "../simulator/reader-responder.ts";
import { hidReaderTransport, serialReaderTransport } from "./reader-transports.ts";

/**
 * A HID reader in the style of spec §10.1: requests arrive as 65-byte output
 * reports (report ID 0 first), replies leave as zero-padded 64-byte input reports.
 */
class HidReaderDevice extends FakeHidDevice {
  readonly #deframer = new Deframer();
  constructor(readonly responder: ReaderResponder) {
    super();
  }
  override async write(values: number[] | Buffer): Promise<number> {
    const n = await super.write(values);
    for (const event of this.#deframer.push(Uint8Array.from(values).subarray(1), 0)) {
      if (event.type !== "frame") continue;
      const reply = this.responder.respond(event.frame.bytes);
      queueMicrotask(() => {
        for (let offset = 0; offset < reply.length; offset += HID_REPORT_BYTES) {
          const report = new Uint8Array(HID_REPORT_BYTES);
          report.set(reply.subarray(offset, offset + HID_REPORT_BYTES));
          this.report(report);
        }
      });
    }
    return n;
  }
}

const CARD = { text: encodeCardText(SYNTHETIC_RESIDENT_CARD), photo: padPhoto(Uint8Array.of(0x57, 0x4c, 0x66)), fingerprint: new Uint8Array(0) };

describe("serialReaderTransport", () => {
  test("makes a new, unopened serial transport for the path on each call", async () => {
    const factory = serialReaderTransport({ path: "/dev/ttyKIOSK0", baudRate: 9600 });
    const a = await factory();
    const b = await factory();
    expect(a).not.toBe(b);
    expect(a.description).toBe("serial:/dev/ttyKIOSK0");
    expect(a.isOpen).toBe(false);
  });
});

describe("hidReaderTransport", () => {
  test("rejects a malformed USB id at once", () => {
    expect(() => hidReaderTransport({ vidPid: "2b8b-2721" })).toThrow(SyntaxError);
  });

  test("throws device-unavailable when no device has that id", async () => {
    const factory = hidReaderTransport({ vidPid: "2b8b:2721", listDevices: async () => [{ vendorId: 0x046d, productId: 0xc31c, path: "/dev/hidraw0" }] });
    const error = await Promise.resolve(factory()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect((error as Error).message).toContain('No HID device "2b8b:2721" is connected');
  });

  test("a whole card read over HID reports: padding dropped by the codec's frame length", async () => {
    const device = new HidReaderDevice(new ReaderResponder({ card: CARD }));
    const factory = hidReaderTransport({
      vidPid: "2B8B:2721",
      listDevices: async () => [{ vendorId: 0x2b8b, productId: 0x2721, path: "/dev/hidraw3" }],
      open: device.open,
    });
    const reader = new IdCardReader({ transportFactory: factory, clock: systemClock, log: silentLogger });
    const reads: CardReadEvent[] = [];
    reader.on("test", "card-read", (e) => reads.push(e));
    await reader.start();
    try {
      await waitFor(() => reads.length > 0, { timeoutMs: 3000 });
    } finally {
      await reader.stop();
    }
    expect(reads[0]?.identity.card).toEqual(SYNTHETIC_RESIDENT_CARD);
    expect(device.openedPaths).toEqual(["/dev/hidraw3"]);
    expect(device.writes.every((w) => w.length === HID_REPORT_BYTES + 1 && w[0] === 0)).toBe(true);
    expect(reader.status().kind).toBe("hid");
    expect(reader.counters.garbageBytes).toBe(0);
  });
});
