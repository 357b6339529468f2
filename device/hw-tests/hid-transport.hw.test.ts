/**
 * Real-device suite for a HID ID-card reader. Runs only when KIOSK_HW_HID
 * names the reader's USB id, for example:
 *
 *   KIOSK_HW_HID=2b8b:2721 bun test device/hw-tests
 *
 * Without the variable this file registers no test at all. Run it again on
 * every Bun upgrade: node-hid is a native addon.
 *
 * It drives the shipped code: `hidReaderTransport` finds and opens the device
 * as the kiosk does, with the codec's `frameLengthOf` dropping the report
 * padding, and the request and reply go through the codec.
 */
import { describe, expect, jest, test } from "bun:test";
import { createRequire } from "node:module";
import { systemClock } from "@kiosk/contracts";
import { hidReaderTransport } from "../src/idcard/adapters/reader-transports.ts";
import { COMMANDS, SAM_ID_BYTES } from "../src/idcard/protocol/constants.ts";
import { frameLengthOf } from "../src/idcard/protocol/frame-length.ts";
import { decodeFrame, encodeCommand, readResponse } from "../src/idcard/protocol/frame.ts";
import { SW3_OK } from "../src/idcard/protocol/status.ts";
import type { TransportClosed } from "../src/transport/byte-transport.ts";
import { waitFor } from "../src/testing/index.ts";

const hwId = process.env["KIOSK_HW_HID"];

if (hwId !== undefined && hwId !== "") {
  // node-hid loads its addon through pkg-prebuilds, which calls jest.requireActual("fs")
  // whenever a `jest` global exists. bun test provides `jest` without requireActual,
  // so loading node-hid inside bun test fails with a TypeError unless it is supplied.
  const bunJest = jest as unknown as { requireActual?: (id: string) => unknown };
  bunJest.requireActual ??= createRequire(import.meta.url);

  describe(`HID reader ${hwId}`, () => {
    test("is found and opened as the kiosk does, and answers the read-SAM-ID command (spec §3, §5.4) without report padding", async () => {
      const transport = await hidReaderTransport({ vidPid: hwId, clock: systemClock })();
      const bytes: number[] = [];
      const closed: TransportClosed[] = [];
      transport.onData((chunk) => bytes.push(...chunk));
      transport.onClose((reason) => closed.push(reason));
      await transport.open();
      try {
        // Reading the SAM ID needs no card on the reader.
        await transport.write(encodeCommand(COMMANDS.readSamId));
        const frameBytes = (): number | undefined => frameLengthOf(Uint8Array.from(bytes));
        await waitFor(
          () => {
            const total = frameBytes();
            return total !== undefined && bytes.length >= total;
          },
          { timeoutMs: 3000, message: () => `received ${bytes.length} bytes` },
        );
        // The transport cuts the reply at 7 + LEN: no padding byte of the last report gets through.
        expect(bytes.length).toBe(frameBytes() ?? -1);
        const decoded = decodeFrame(Uint8Array.from(bytes));
        if (!decoded.ok) throw new Error(`The reply is not a valid frame: ${decoded.message}`);
        const reply = readResponse(decoded.frame);
        if (!reply.ok) throw new Error(`The reply cannot be read: ${reply.message}`);
        expect(reply.response.sw3).toBe(SW3_OK);
        expect(reply.response.data.length).toBe(SAM_ID_BYTES);
      } finally {
        await transport.close();
      }
      expect(closed).toEqual([{ unexpected: false }]);
    }, 10_000);
  });
}
