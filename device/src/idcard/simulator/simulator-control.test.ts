import { beforeAll, describe, expect, test } from "bun:test";
import { problemSchema } from "@kiosk/contracts";
import { DEMO_CARDS_DIR } from "./card-file.ts";
import { loadCardFolder, type CardFolder } from "./card-folder.ts";
import type { SimulatedCard } from "./reader-responder.ts";
import { SimulatorControl, type ReaderPlug } from "./simulator-control.ts";

let cards: CardFolder;
beforeAll(async () => {
  cards = await loadCardFolder(DEMO_CARDS_DIR);
});

class FakeReader {
  readonly inserted: SimulatedCard[] = [];
  removed = 0;
  liftsDuringRead = 0;
  insertCard(card: SimulatedCard): void {
    this.inserted.push(card);
  }
  removeCard(): void {
    this.removed++;
  }
  liftCardDuringNextRead(): void {
    this.liftsDuringRead++;
  }
}

class FakePlug implements ReaderPlug {
  connected = true;
  readonly calls: string[] = [];
  async unplug(): Promise<void> {
    this.calls.push("unplug");
    this.connected = false;
  }
  async replug(): Promise<void> {
    this.calls.push("replug");
    this.connected = true;
  }
}

function setup(placed?: string) {
  const reader = new FakeReader();
  const plug = new FakePlug();
  const control = new SimulatorControl({ cards, reader, plug, ...(placed === undefined ? {} : { placed }) });
  const call = (method: string, path: string, body?: unknown) =>
    control.handle(new Request(`http://simulator${path}`, { method, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) }));
  return { reader, plug, control, call };
}

async function problemOf(response: Response) {
  return problemSchema.parse(await response.json());
}

describe("SimulatorControl", () => {
  test("lists the folder's cards by file stem with their type and label", async () => {
    const { call } = setup();
    const response = await call("GET", "/cards");
    expect(response.status).toBe(200);
    const list = (await response.json()) as { id: string; cardType: string; label: string }[];
    expect(list.map((card) => card.id)).toEqual([...cards.keys()]);
    expect(list).toContainEqual({ id: "hmt-chen-jiaxin", cardType: "hmt-residence", label: cards.get("hmt-chen-jiaxin")!.label ?? "陈嘉欣" });
    for (const card of list) expect(card.label.length).toBeGreaterThan(0);
  });

  test("places a card by id, then takes it off, and the status follows", async () => {
    const { reader, call } = setup();
    expect(await (await call("GET", "/status")).json()).toEqual({ cardId: null, connected: true });
    expect((await call("PUT", "/card", { id: "foreign-2023-claire-dubois" })).status).toBe(204);
    expect(reader.inserted).toEqual([cards.get("foreign-2023-claire-dubois")!.simulated]);
    expect(await (await call("GET", "/status")).json()).toEqual({ cardId: "foreign-2023-claire-dubois", connected: true });
    expect((await call("POST", "/card/lift-during-read")).status).toBe(204);
    expect(reader.liftsDuringRead).toBe(1);
    expect((await call("DELETE", "/card")).status).toBe(204);
    expect(reader.removed).toBe(1);
    expect(await (await call("GET", "/status")).json()).toEqual({ cardId: null, connected: true });
  });

  test("unplugs and replugs the reader, once per change", async () => {
    const { plug, call } = setup();
    expect((await call("PUT", "/reader", { connected: false })).status).toBe(204);
    expect((await call("PUT", "/reader", { connected: false })).status).toBe(204);
    expect(await (await call("GET", "/status")).json()).toEqual({ cardId: null, connected: false });
    expect((await call("PUT", "/reader", { connected: true })).status).toBe(204);
    expect(plug.calls).toEqual(["unplug", "replug"]);
  });

  test("an unknown card id is 404 and changes nothing", async () => {
    const { reader, call } = setup("resident-zhou-mingyuan");
    const response = await call("PUT", "/card", { id: "nobody-here" });
    expect(response.status).toBe(404);
    expect((await problemOf(response)).detail).toBe('Unknown card "nobody-here": not in the card folder');
    expect(reader.inserted).toEqual([]);
    expect(await (await call("GET", "/status")).json()).toEqual({ cardId: "resident-zhou-mingyuan", connected: true });
  });

  test("malformed bodies are 400 bad-request, unknown routes 404", async () => {
    const { reader, plug, call } = setup();
    for (const [path, body] of [
      ["/card", "not json"],
      ["/card", { id: 7 }],
      ["/card", { id: "x", extra: true }],
      ["/reader", { connected: "no" }],
    ] as const) {
      const response = await call("PUT", path, body);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).code).toBe("bad-request");
    }
    expect((await call("PUT", "/card", "x".repeat(2000))).status).toBe(413);
    expect((await call("POST", "/card", { id: "x" })).status).toBe(404);
    expect((await call("GET", "/nowhere")).status).toBe(404);
    expect([reader.inserted.length, plug.calls.length]).toEqual([0, 0]);
  });

  test("refuses a starting card that is not in the folder", () => {
    expect(() => new SimulatorControl({ cards, reader: new FakeReader(), plug: new FakePlug(), placed: "missing" })).toThrow(RangeError);
  });
});
