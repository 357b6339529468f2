import { describe, expect, test } from "bun:test";
import { KioskError, type ChallengeAction, type DemoCard } from "@kiosk/contracts";
import type { DemoCameraControl, DemoReaderControl } from "../demo-ports.ts";
import { DemoControls } from "./demo-controls.ts";

class FakeReader implements DemoReaderControl {
  readonly calls: string[] = [];
  async cards(): Promise<DemoCard[]> {
    return [{ id: "resident-a", cardType: "resident", label: "A" }];
  }
  async place(id: string): Promise<void> {
    if (id === "missing") throw new KioskError("not-found", `Unknown card "${id}"`);
    this.calls.push(`place ${id}`);
  }
  async remove(): Promise<void> {
    this.calls.push("remove");
  }
  async liftDuringNextRead(): Promise<void> {
    this.calls.push("lift during read");
  }
  async setConnected(connected: boolean): Promise<void> {
    this.calls.push(`connected ${connected}`);
  }
}

class FakeCamera implements DemoCameraControl {
  readonly shown: string[] = [];
  async show(person: string, options: { readonly printedPhoto?: boolean } = {}): Promise<void> {
    this.shown.push(options.printedPhoto ? `photo of ${person}` : person);
  }
  async perform(_action: ChallengeAction): Promise<void> {}
}

function setup() {
  const reader = new FakeReader();
  const camera = new FakeCamera();
  return { reader, camera, controls: new DemoControls({ reader, camera }) };
}

describe("DemoControls", () => {
  test("the holder is the person whose card was placed last; before any card, nobody", async () => {
    const { camera, controls } = setup();
    await controls.showOnCamera("holder");
    await controls.placeCard("resident-a");
    await controls.placeCard("resident-b");
    expect(camera.shown).toEqual(["nobody", "resident-a", "resident-b"]);
  });

  test("other, nobody and the printed photo; placing a card changes whose photo is held up", async () => {
    const { camera, controls } = setup();
    await controls.placeCard("resident-a");
    await controls.showOnCamera("other");
    await controls.placeCard("resident-b");
    await controls.showOnCamera("printed-photo");
    await controls.placeCard("resident-a");
    await controls.showOnCamera("nobody");
    expect(camera.shown).toEqual(["other", "photo of resident-b", "photo of resident-a", "nobody"]);
  });

  test("an unknown card changes neither the reader nor the holder", async () => {
    const { reader, camera, controls } = setup();
    await controls.placeCard("resident-a");
    await expect(controls.placeCard("missing")).rejects.toMatchObject({ code: "not-found" });
    await controls.showOnCamera("holder");
    expect([reader.calls, camera.shown]).toEqual([["place resident-a"], ["resident-a"]]);
  });

  test("removes the card and unplugs/replugs the reader; the camera keeps its person", async () => {
    const { reader, camera, controls } = setup();
    await controls.placeCard("resident-a");
    await controls.showOnCamera("holder");
    await controls.liftCardDuringNextRead();
    await controls.removeCard();
    await controls.setReaderConnected(false);
    await controls.setReaderConnected(true);
    expect(reader.calls).toEqual(["place resident-a", "lift during read", "remove", "connected false", "connected true"]);
    expect(camera.shown).toEqual(["resident-a"]);
    expect(await controls.cards()).toEqual([{ id: "resident-a", cardType: "resident", label: "A" }]);
  });
});
