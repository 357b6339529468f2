import { describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import type { TransportClosed } from "../../transport/byte-transport.ts";
import { createMemoryLink } from "./memory-link.ts";

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("createMemoryLink", () => {
  test("bytes written at one end arrive at the other, asynchronously, as a copy", async () => {
    const link = createMemoryLink();
    const atDevice: number[] = [];
    link.device.onData((chunk) => atDevice.push(...chunk));
    await link.host.open();
    await link.device.open();
    const bytes = Uint8Array.of(1, 2, 3);
    const written = link.host.write(bytes);
    bytes[0] = 9;
    expect(atDevice).toEqual([]);
    await written;
    await settle();
    expect(atDevice).toEqual([1, 2, 3]);
    expect(link.host.description).toBe("sim:memory");
  });

  test("bytes sent while the other end is closed are lost", async () => {
    const link = createMemoryLink();
    const atDevice: number[] = [];
    link.device.onData((chunk) => atDevice.push(...chunk));
    await link.host.open();
    await link.host.write(Uint8Array.of(1));
    await settle();
    expect(atDevice).toEqual([]);
  });

  test("unplug() closes both ends unexpectedly; open fails until plugIn()", async () => {
    const link = createMemoryLink();
    const closes: TransportClosed[] = [];
    link.host.onClose((r) => closes.push(r));
    await link.host.open();
    link.unplug();
    expect(closes).toHaveLength(1);
    expect(closes[0]?.unexpected).toBe(true);
    expect(link.connected).toBe(false);
    const error = await link.host.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    link.plugIn();
    await link.host.open();
    await link.host.close();
    expect(closes.at(-1)).toEqual({ unexpected: false });
  });

  test("writing to a closed end throws device-unavailable", async () => {
    const link = createMemoryLink();
    await expect(link.host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: "device-unavailable" });
  });
});
