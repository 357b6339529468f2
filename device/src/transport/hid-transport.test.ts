import { beforeEach, describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { FakeHidDevice } from "../testing/index.ts";
import type { TransportClosed } from "./byte-transport.ts";
import { HEADER_BYTES, HID_REPORT_BYTES, PREAMBLE } from "../idcard/protocol/constants.ts";
import { frameLengthOf as frameLength } from "../idcard/protocol/frame-length.ts";
import * as hidTransportModule from "./hid-transport.ts";
import { HidTransport } from "./hid-transport.ts";

/** A frame of `total` bytes: preamble, LEN, a payload ending in zeros (like a photo), XOR. */
function makeFrame(total: number): Uint8Array {
  const frame = new Uint8Array(total);
  frame.set(PREAMBLE);
  const len = total - HEADER_BYTES;
  frame[5] = len >> 8;
  frame[6] = len & 0xff;
  // Nonzero bytes first, then a zero run, so dropping "trailing zeros" would be caught.
  for (let i = HEADER_BYTES; i < total - 40; i++) frame[i] = (i % 251) + 1;
  let xor = 0;
  for (let i = 5; i < total - 1; i++) xor ^= frame[i] ?? 0;
  frame[total - 1] = xor;
  return frame;
}

/** Cuts bytes into zero-padded input reports, as the reader sends them (no report ID). */
function toInputReports(bytes: Uint8Array): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += HID_REPORT_BYTES) {
    const report = new Uint8Array(HID_REPORT_BYTES);
    report.set(bytes.subarray(offset, offset + HID_REPORT_BYTES));
    reports.push(report);
  }
  return reports;
}

let device: FakeHidDevice;
let clock: FakeClock;

beforeEach(() => {
  device = new FakeHidDevice();
  clock = new FakeClock();
});

function received(t: HidTransport): number[] {
  const bytes: number[] = [];
  t.onData((chunk) => bytes.push(...chunk));
  return bytes;
}

function closes(t: HidTransport): TransportClosed[] {
  const seen: TransportClosed[] = [];
  t.onClose((reason) => seen.push(reason));
  return seen;
}

async function settle<T>(promise: Promise<T>): Promise<T | unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

describe("HidTransport writes", () => {
  test("a 1295-byte frame goes out as 21 reports of 65 bytes, report ID 0 first, zero padded", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    await t.open();
    const frame = makeFrame(1295);
    await t.write(frame);

    expect(device.writes).toHaveLength(21);
    for (const report of device.writes) {
      expect(report.length).toBe(65);
      expect(report[0]).toBe(0x00);
    }
    const payload = Buffer.concat(device.writes.map((report) => report.subarray(1)));
    expect([...payload.subarray(0, 1295)]).toEqual([...frame]);
    expect(payload.subarray(1295).every((byte) => byte === 0)).toBe(true);
    expect(payload.length).toBe(21 * 64);
  });

  test("the report size has one name, the protocol's HID_REPORT_BYTES: the transport exports no size of its own", async () => {
    expect(HID_REPORT_BYTES).toBe(64);
    expect(Object.keys(hidTransportModule).filter((name) => /REPORT/.test(name))).toEqual([]);
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    await t.open();
    await t.write(new Uint8Array(HID_REPORT_BYTES + 1).fill(7));
    expect(device.writes.map((report) => report.length)).toEqual([HID_REPORT_BYTES + 1, HID_REPORT_BYTES + 1]);
  });

  test("a short request fits one padded report", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    await t.open();
    const request = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22);
    await t.write(request);
    expect(device.writes).toHaveLength(1);
    expect([...(device.writes[0] ?? [])]).toEqual([0, ...request, ...new Array(64 - request.length).fill(0)]);
  });

  test("concurrent writes are not interleaved", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    await t.open();
    const first = new Uint8Array(130).fill(1);
    const second = new Uint8Array(70).fill(2);
    await Promise.all([t.write(first), t.write(second)]);
    expect(device.writes.map((report) => report[1])).toEqual([1, 1, 1, 2, 2]);
  });

  test("writing while closed throws device-unavailable", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    const error = await settle(t.write(Uint8Array.of(1)));
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect(device.writes).toHaveLength(0);
  });

  test("a failing write throws device-unavailable and closes the transport as unexpected", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    const closed = closes(t);
    await t.open();
    device.writeError = new Error("Cannot write to hid device");
    const error = await settle(t.write(Uint8Array.of(1)));
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    await t.close(); // waits for the shutdown the failure started
    expect(closed).toHaveLength(1);
    expect(closed[0]?.unexpected).toBe(true);
  });
});

describe("HidTransport reads", () => {
  test("without frameLength every byte of every report is passed on", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    const bytes = received(t);
    await t.open();
    const reports = toInputReports(makeFrame(100));
    for (const report of reports) device.report(report);
    expect(bytes).toEqual(reports.flatMap((report) => [...report]));
    expect(bytes).toHaveLength(128);
  });

  test("with frameLength a 1295-byte reply in 21 reports comes out exactly, padding dropped", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open, frameLength, clock });
    const bytes = received(t);
    await t.open();
    const reply = makeFrame(1295);
    const reports = toInputReports(reply);
    expect(reports).toHaveLength(21);
    for (const report of reports) device.report(report);
    expect(bytes).toEqual([...reply]);

    // The next reply starts at a report boundary and is cut the same way.
    const short = makeFrame(11);
    device.report(toInputReports(short)[0] ?? []);
    expect(bytes.slice(1295)).toEqual([...short]);
  });

  test("a report that does not start a frame is passed on whole for the deframer to judge", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open, frameLength, clock });
    const bytes = received(t);
    await t.open();
    const garbage = new Uint8Array(64).fill(0x55);
    device.report(garbage);
    const frame = makeFrame(11);
    device.report(toInputReports(frame)[0] ?? []);
    expect(bytes).toEqual([...garbage, ...frame]);
  });

  test("a gap between reports ends a truncated frame, so the next reply is cut right", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open, frameLength, clock, interReportTimeoutMs: 250 });
    const bytes = received(t);
    await t.open();
    const truncated = toInputReports(makeFrame(300)).slice(0, 2); // 128 of 300 bytes
    for (const report of truncated) device.report(report);
    await clock.advance(251);
    const next = makeFrame(11);
    device.report(toInputReports(next)[0] ?? []);
    expect(bytes.slice(128)).toEqual([...next]);
  });

  test("without the gap the same reports would be taken as the rest of the truncated frame", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open, frameLength, clock, interReportTimeoutMs: 250 });
    const bytes = received(t);
    await t.open();
    for (const report of toInputReports(makeFrame(300)).slice(0, 2)) device.report(report);
    await clock.advance(10);
    device.report(toInputReports(makeFrame(11))[0] ?? []);
    expect(bytes.length).toBe(128 + 64);
  });
});

describe("HidTransport lifecycle", () => {
  test("open goes through the injected factory with the path; description uses the label", async () => {
    const t = new HidTransport({ path: "/dev/hidraw3", open: device.open, label: "2b8b:2721" });
    await t.open();
    expect(device.openedPaths).toEqual(["/dev/hidraw3"]);
    expect(t.description).toBe("hid:2b8b:2721");
    expect(t.isOpen).toBe(true);
  });

  test("an open failure throws device-unavailable naming the path", async () => {
    device.openError = new Error("cannot open device with path /dev/hidraw9");
    const t = new HidTransport({ path: "/dev/hidraw9", open: device.open });
    const error = await settle(t.open());
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect((error as Error).message).toContain('"/dev/hidraw9"');
    expect(t.isOpen).toBe(false);
  });

  test("an 'error' event closes the transport with unexpected: true", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    const closed = closes(t);
    const bytes = received(t);
    await t.open();
    device.fail();
    await t.close();
    expect(closed).toHaveLength(1);
    expect(closed[0]?.unexpected).toBe(true);
    expect(isKioskError(closed[0]?.error, "device-unavailable")).toBe(true);
    expect(device.closeCount).toBe(1);
    expect(t.isOpen).toBe(false);
    device.report([1, 2, 3]); // nothing listens any more
    expect(bytes).toEqual([]);
    expect(isKioskError(await settle(t.write(Uint8Array.of(1))), "device-unavailable")).toBe(true);
  });

  test("close() reports unexpected: false, stops delivery, and the device can be opened again", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    const closed = closes(t);
    const bytes = received(t);
    await t.open();
    await t.close();
    await t.close();
    expect(closed).toEqual([{ unexpected: false }]);
    expect(device.closeCount).toBe(1);
    expect(device.listenerCount("data")).toBe(0);
    expect(device.listenerCount("error")).toBe(0);
    device.report([1]);
    expect(bytes).toEqual([]);

    await t.open();
    device.report([7]);
    expect(bytes).toEqual([7]);
  });

  test("removing a listener stops its delivery", async () => {
    const t = new HidTransport({ path: "/dev/hidraw0", open: device.open });
    const bytes: number[] = [];
    const off = t.onData((chunk) => bytes.push(...chunk));
    await t.open();
    device.report([1]);
    off();
    device.report([2]);
    expect(bytes).toEqual([1]);
  });
});
