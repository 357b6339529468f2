import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_CARDS_DIR, loadCardFolder, SimulatorControl, type SimulatedCard } from "@kiosk/device";
import { serveUnixControl, type UnixControlServer } from "@kiosk/device/adapters";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SocketReaderControl } from "./socket-reader-control.ts";

let dir = "";
let server: UnixControlServer;
const events: string[] = [];
let connected = true;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "socket-reader-control-"));
  const reader = { insertCard: (card: SimulatedCard) => void events.push(`insert ${card.text.length}`), removeCard: () => void events.push("remove"), liftCardDuringNextRead: () => void events.push("lift during read") };
  const plug = {
    get connected() {
      return connected;
    },
    unplug: async () => void (connected = false),
    replug: async () => void (connected = true),
  };
  const control = new SimulatorControl({ cards: await loadCardFolder(DEMO_CARDS_DIR), reader, plug });
  server = await serveUnixControl(join(dir, "control.sock"), (request) => control.handle(request));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("SocketReaderControl, against a simulator control server on a real unix socket", () => {
  test("lists cards, places and removes one, unplugs and replugs", async () => {
    const control = new SocketReaderControl(server.path);
    expect((await control.cards()).map((card) => card.id)).toContain("resident-lost-wang-xiaomei");
    await control.place("resident-zhou-mingyuan");
    await control.liftDuringNextRead();
    await control.remove();
    await control.setConnected(false);
    expect(connected).toBe(false);
    await control.setConnected(true);
    expect([events.length, events[1], events[2], connected]).toEqual([3, "lift during read", "remove", true]);
  });

  test("an unknown card is not-found; a missing socket is device-unavailable", async () => {
    await expect(new SocketReaderControl(server.path).place("nobody")).rejects.toMatchObject({ code: "not-found", message: 'Unknown card "nobody": not in the card folder' });
    await expect(new SocketReaderControl(join(dir, "absent.sock")).cards()).rejects.toMatchObject({ code: "device-unavailable" });
  });
});
