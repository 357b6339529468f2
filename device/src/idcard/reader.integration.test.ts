/**
 * The reader session over REAL pseudo-terminals: SerialTransport
 * (SerialPortStream + BunSerialBinding) on one end of a socat pty pair, the
 * simulator (also over SerialTransport) on the other. Waits use deadlines,
 * never fixed sleeps.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger, systemClock } from "@kiosk/contracts";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../testing/index.ts";
import { serialReaderTransport } from "./adapters/reader-transports.ts";
import { identityToJson } from "./card-json.ts";
import { IdCardReader } from "./reader.ts";
import type { ReaderEventMap, ReaderEventName } from "./reader-events.ts";
import { startPtyLink, type PtyLink } from "./simulator/adapters/pty-link.ts";
import { demoCardPath, loadCardFile, type LoadedCard } from "./simulator/card-file.ts";
import { ReaderResponder } from "./simulator/reader-responder.ts";
import { ReaderSimulator } from "./simulator/reader-simulator.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serveSimulator(link: PtyLink, card: LoadedCard): Promise<ReaderSimulator> {
  const simulator = new ReaderSimulator({
    transport: await serialReaderTransport({ path: link.pathB })(),
    clock: systemClock,
    responder: new ReaderResponder({ card: card.simulated }),
    // Paced at 115200 baud with short module times: realistic bytes on the wire, quick test.
    moduleMs: { findCard: 2, selectCard: 2, readBase: 20 },
  });
  await simulator.start();
  cleanups.push(() => simulator.stop());
  return simulator;
}

function record(reader: IdCardReader): { names: () => string[]; of: <K extends ReaderEventName>(name: K) => ReaderEventMap[K][] } {
  const events: { name: ReaderEventName; payload: unknown }[] = [];
  const all: ReaderEventName[] = ["reader-ready", "card-inserted", "card-read", "card-removed", "card-reread-required", "reader-error", "device-lost"];
  for (const name of all) reader.on("test", name, (payload) => events.push({ name, payload }));
  return {
    names: () => events.map((e) => e.name),
    of: <K extends ReaderEventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as ReaderEventMap[K]),
  };
}

describe("IdCardReader over real ptys", () => {
  test("reads the demo card through SerialPortStream + BunSerialBinding + session + simulator", async () => {
    const card = await loadCardFile(demoCardPath("hmt-residence"));
    const link = await startPtyLink();
    cleanups.push(() => link.stop());
    await serveSimulator(link, card);
    const reader = new IdCardReader({ transportFactory: serialReaderTransport({ path: link.pathA }), clock: systemClock, log: silentLogger });
    cleanups.push(() => reader.stop());
    const events = record(reader);
    await reader.start();
    await waitFor(() => events.of("card-read").length > 0, { timeoutMs: 5000, message: () => `events: ${events.names().join(", ")}` });
    const [read] = events.of("card-read");
    if (!read) throw new Error("no card-read");
    expect(read.identity.card).toEqual(card.card);
    expect([...read.photo.subarray(0, card.photo.length)]).toEqual([...card.photo]);
    expect(await identityToJson(read.identity)).toMatchObject({ cardType: "hmt-residence", name: "陈嘉欣", passNumber: "H60318274", photo: { format: "webp", bytes: 1024 } });
    expect(reader.status()).toMatchObject({ kind: "serial", state: "ready", detail: `serial:${link.pathA}` });
    expect(events.names()).toEqual(["reader-ready", "card-inserted", "card-read"]);
  });

  test("the pty vanishing: card-removed + device-unavailable, reconnect attempts, device-lost; it comes back and is read again", async () => {
    const card = await loadCardFile(demoCardPath());
    const dir = await mkdtemp(join(tmpdir(), "kiosk-reader-vanish-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const paths = { pathA: join(dir, "reader"), pathB: join(dir, "sim") };
    const link = await startPtyLink(paths);
    cleanups.push(() => link.stop());
    const simulator = await serveSimulator(link, card);

    let attempts = 0;
    const factory = serialReaderTransport({ path: paths.pathA });
    const reader = new IdCardReader({
      transportFactory: () => {
        attempts++;
        return factory();
      },
      clock: systemClock,
      log: silentLogger,
      pollIntervalMs: 20,
      rereadBehaviour: "rereads",
      reconnectInitialDelayMs: 10,
      reconnectMaxDelayMs: 40,
      deviceLostAfterMs: 300,
    });
    cleanups.push(() => reader.stop());
    const events = record(reader);
    await reader.start();
    await waitFor(() => events.of("card-read").length === 1, { timeoutMs: 5000, message: () => events.names().join(", ") });

    await link.kill();
    await simulator.stop();
    expect(existsSync(paths.pathA)).toBe(false);
    await waitFor(() => events.of("device-lost").length === 1, { timeoutMs: 5000, message: () => events.names().join(", ") });
    expect(events.names()).toEqual(["reader-ready", "card-inserted", "card-read", "card-removed", "reader-error", "device-lost"]);
    expect(events.of("card-removed")[0]?.reason).toBe("reader-disconnected");
    expect(events.of("reader-error")[0]).toMatchObject({ code: "device-unavailable", retryable: true });
    expect(events.of("device-lost")[0]?.unavailableForMs).toBeGreaterThanOrEqual(300);
    expect(attempts).toBeGreaterThan(3);
    expect(reader.status()).toMatchObject({ state: "unavailable", error: { code: "device-unavailable" } });

    // The device comes back at the same path.
    const again = await startPtyLink(paths);
    cleanups.push(() => again.stop());
    await serveSimulator(again, card);
    await waitFor(() => events.of("card-read").length === 2, { timeoutMs: 5000, message: () => events.names().join(", ") });
    expect(events.names().slice(6)).toEqual(["reader-ready", "card-inserted", "card-read"]);
    expect(reader.status().state).toBe("ready");
  });
});
