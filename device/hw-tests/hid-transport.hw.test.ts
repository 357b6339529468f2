/**
 * Real-device suite for a HID ID-card reader. Runs only when KIOSK_HW_HID
 * names the reader's USB id, for example:
 *
 *   KIOSK_HW_HID=2b8b:2721 bun test device/hw-tests
 *
 * Without the variable this file registers no test at all. Run it again on
 * every Bun upgrade: node-hid is a native addon.
 */
import { describe, expect, jest, test } from "bun:test";
import { createRequire } from "node:module";
import type { TransportClosed } from "../src/transport/byte-transport.ts";
import { findHidReaderCandidates, listHidDevices } from "../src/transport/hid-devices.ts";
import { HidTransport, openNodeHidDevice, type FrameLengthFn } from "../src/transport/hid-transport.ts";
import { waitFor } from "../src/testing/index.ts";

const hwId = process.env["KIOSK_HW_HID"];

if (hwId !== undefined && hwId !== "") {
  // node-hid loads its addon through pkg-prebuilds, which calls jest.requireActual("fs")
  // whenever a `jest` global exists. bun test provides `jest` without requireActual,
  // so loading node-hid inside bun test fails with a TypeError unless it is supplied.
  const bunJest = jest as unknown as { requireActual?: (id: string) => unknown };
  bunJest.requireActual ??= createRequire(import.meta.url);

  // Spec §2 and testdata frames/req_read_samid_12FF.hex: read the SAM ID, which needs no card.
  const READ_SAM_ID = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, 0x12, 0xff, 0xee);
  const PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
  const HEADER_BYTES = 7;
  const SW3_INDEX = 9;
  const SW3_OK = 0x90;
  const frameLength: FrameLengthFn = (bytes) =>
    bytes.length >= HEADER_BYTES && PREAMBLE.every((b, i) => bytes[i] === b)
      ? HEADER_BYTES + (((bytes[5] ?? 0) << 8) | (bytes[6] ?? 0))
      : undefined;

  describe(`HID reader ${hwId}`, () => {
    test("is found by devicesAsync and answers the read-SAM-ID command", async () => {
      const candidates = findHidReaderCandidates(await listHidDevices(), { extra: [hwId] });
      const candidate = candidates.find((c) => c.source === "config");
      if (candidate === undefined) throw new Error(`No HID device "${hwId}" found: ${candidates.length} other candidates`);

      const transport = new HidTransport({ path: candidate.path, label: candidate.id, open: openNodeHidDevice, frameLength });
      const bytes: number[] = [];
      const closed: TransportClosed[] = [];
      transport.onData((chunk) => bytes.push(...chunk));
      transport.onClose((reason) => closed.push(reason));
      await transport.open();
      try {
        await transport.write(READ_SAM_ID);
        await waitFor(
          () => {
            const total = frameLength(Uint8Array.from(bytes));
            return total !== undefined && bytes.length >= total;
          },
          { timeoutMs: 3000, message: () => `received ${bytes.length} bytes` },
        );
        expect(bytes.slice(0, PREAMBLE.length)).toEqual(PREAMBLE);
        expect(bytes[SW3_INDEX]).toBe(SW3_OK);
      } finally {
        await transport.close();
      }
      expect(closed).toEqual([{ unexpected: false }]);
    }, 10_000);
  });
}
