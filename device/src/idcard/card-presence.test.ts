import { describe, expect, test } from "bun:test";
import { CardPresence, type CardPresenceOptions, type PresenceDecision, type PresenceInput } from "./card-presence.ts";

const T = 1_000;

function presence(options: Partial<CardPresenceOptions> = {}): CardPresence {
  const machine = new CardPresence({ rereadBehaviour: "auto", removalMisses: 2, unresponsivePolls: 3, ...options });
  machine.step({ type: "session-started" });
  machine.step({ type: "reader-ready", atMs: T });
  return machine;
}

const find = (result: "card" | "no-card" | "failed", atMs = T): PresenceInput => ({ type: "find", result, atMs });
const succeeded = (atMs = T): PresenceInput => ({ type: "read-succeeded", atMs });
const failed = (cardGone: boolean, atMs = T): PresenceInput => ({ type: "read-failed", cardGone, atMs });

/** Feeds every input and returns all decisions, in order. */
function feed(machine: CardPresence, ...inputs: PresenceInput[]): PresenceDecision[] {
  return inputs.flatMap((input) => machine.step(input));
}

const INSERT_AND_READ: PresenceDecision[] = [{ type: "card-inserted", atMs: T }, { type: "enter", state: "reading" }, { type: "read-card" }];

describe("CardPresence: a card arriving", () => {
  test("reader-ready enters waiting-for-card; 80 while waiting decides nothing", () => {
    const machine = new CardPresence({ rereadBehaviour: "auto", removalMisses: 2, unresponsivePolls: 3 });
    expect(machine.step({ type: "reader-ready", atMs: T })).toEqual([{ type: "enter", state: "waiting-for-card" }]);
    expect(feed(machine, find("no-card"), find("no-card"))).toEqual([]);
  });

  test("9F while waiting: card-inserted at the find's time, state reading, and a read", () => {
    const machine = presence();
    expect(machine.step(find("card", T + 300))).toEqual([{ type: "card-inserted", atMs: T + 300 }, { type: "enter", state: "reading" }, { type: "read-card" }]);
    expect(machine.state).toBe("reading");
  });
});

describe("CardPresence: a reader that rereads", () => {
  test("after the read the card is present and not read again; two 80s in a row are a removal", () => {
    const machine = presence({ rereadBehaviour: "rereads" });
    expect(feed(machine, find("card"))).toEqual(INSERT_AND_READ);
    expect(machine.step(succeeded())).toEqual([{ type: "enter", state: "card-present" }]);
    expect(feed(machine, find("card"), find("card"), find("no-card"))).toEqual([]);
    expect(machine.step(find("no-card", T + 900))).toEqual([
      { type: "card-removed", reason: "removed", atMs: T + 900 },
      { type: "enter", state: "waiting-for-card" },
    ]);
    expect(machine.step(find("card"))).toEqual(INSERT_AND_READ);
  });

  test("debounce: a 9F between two 80s (a card shifted on the pad) starts the count again", () => {
    const machine = presence({ rereadBehaviour: "rereads", removalMisses: 2 });
    feed(machine, find("card"), succeeded());
    expect(feed(machine, find("no-card"), find("card"), find("no-card"))).toEqual([]);
    expect(machine.state).toBe("card-present");
  });

  test("a failed read asks for the card to be placed again; a lift is then a removal, and the new placement is read", () => {
    const machine = presence({ rereadBehaviour: "rereads" });
    feed(machine, find("card"));
    expect(machine.step(failed(false))).toEqual([
      { type: "enter", state: "awaiting-removal" },
      { type: "card-reread-required", reason: "read-failed", atMs: T },
    ]);
    expect(feed(machine, find("card"), find("card"))).toEqual([]);
    expect(feed(machine, find("no-card"), find("no-card"))).toEqual([
      { type: "card-removed", reason: "removed", atMs: T },
      { type: "enter", state: "waiting-for-card" },
    ]);
    expect(machine.step(find("card"))).toEqual(INSERT_AND_READ);
  });

  test("a failed read that saw the card leave is a removal, back to waiting-for-card", () => {
    const machine = presence({ rereadBehaviour: "rereads" });
    feed(machine, find("card"));
    expect(machine.step(failed(true))).toEqual([
      { type: "card-removed", reason: "removed", atMs: T },
      { type: "enter", state: "waiting-for-card" },
    ]);
    expect(machine.state).toBe("waiting-for-card");
    expect(machine.step(find("card"))).toEqual(INSERT_AND_READ);
  });
});

describe("CardPresence: a reader that reads once", () => {
  test("after the read: awaiting-removal (hidden-after-read); 80s are never a removal; 9F again is replaced + a new read", () => {
    const machine = presence({ rereadBehaviour: "reads-once" });
    feed(machine, find("card"));
    expect(machine.step(succeeded())).toEqual([
      { type: "enter", state: "awaiting-removal" },
      { type: "card-reread-required", reason: "hidden-after-read", atMs: T },
    ]);
    expect(feed(machine, ...Array.from({ length: 10 }, () => find("no-card")))).toEqual([]);
    expect(machine.step(find("card"))).toEqual([
      { type: "card-removed", reason: "replaced", atMs: T },
      { type: "enter", state: "waiting-for-card" },
      ...INSERT_AND_READ,
    ]);
  });

  test("a failed read that saw the card leave waits for it to come back, then reads it", () => {
    const machine = presence({ rereadBehaviour: "reads-once" });
    feed(machine, find("card"));
    expect(machine.step(failed(true))).toEqual([
      { type: "enter", state: "awaiting-removal" },
      { type: "card-reread-required", reason: "read-failed", atMs: T },
    ]);
    expect(machine.step(find("card"))).toEqual([{ type: "card-removed", reason: "replaced", atMs: T }, { type: "enter", state: "waiting-for-card" }, ...INSERT_AND_READ]);
  });
});

describe("CardPresence: auto, learning the reader's kind", () => {
  test("9F on the find after a read means rereads: learned once, and later lifts are removals", () => {
    const machine = presence();
    feed(machine, find("card"), succeeded());
    expect(machine.rereadsKnown).toBe(false);
    expect(machine.step(find("card"))).toEqual([{ type: "learned-rereads" }]);
    expect(machine.rereadsKnown).toBe(true);
    expect(feed(machine, find("card"))).toEqual([]);
    expect(feed(machine, find("no-card"), find("no-card"))).toEqual([
      { type: "card-removed", reason: "removed", atMs: T },
      { type: "enter", state: "waiting-for-card" },
    ]);
    // Learned for good: a card lifted right after its read is a removal too.
    feed(machine, find("card"), succeeded());
    expect(feed(machine, find("no-card"), find("no-card")).map((d) => d.type)).toEqual(["card-removed", "enter"]);
  });

  test("before learning, 80s after a read are taken as hidden, never as a removal; the next 9F is replaced", () => {
    const machine = presence();
    feed(machine, find("card"), succeeded());
    expect(machine.step(find("no-card"))).toEqual([]);
    expect(machine.step(find("no-card"))).toEqual([
      { type: "enter", state: "awaiting-removal" },
      { type: "card-reread-required", reason: "hidden-after-read", atMs: T },
    ]);
    expect(feed(machine, find("no-card"), find("no-card"), find("no-card"))).toEqual([]);
    expect(machine.step(find("card")).map((d) => d.type)).toEqual(["card-removed", "enter", "card-inserted", "enter", "read-card"]);
    expect(machine.rereadsKnown).toBe(false);
  });

  test("a failed read does not teach anything: the placement is not read again while the card stays", () => {
    const machine = presence();
    feed(machine, find("card"), failed(false));
    expect(feed(machine, find("card"), find("card"), find("card"))).toEqual([]);
    expect(machine.state).toBe("awaiting-removal");
    // Lifted (two 80s make it hidden), then placed again: read again.
    expect(machine.step(find("no-card"))).toEqual([]);
    expect(machine.step(find("no-card"))).toEqual([]);
    expect(machine.step(find("card")).map((d) => d.type)).toEqual(["card-removed", "enter", "card-inserted", "enter", "read-card"]);
  });
});

describe("CardPresence: a read asked for again (the card was placed before the kiosk wanted it)", () => {
  const again = (atMs = T): PresenceInput => ({ type: "read-requested", atMs });

  test("a rereads reader reads the card lying there on the next find that sees it, once", () => {
    const machine = presence({ rereadBehaviour: "rereads" });
    feed(machine, find("card"), succeeded());
    expect(machine.step(again())).toEqual([]);
    expect(machine.step(find("card"))).toEqual(INSERT_AND_READ);
    expect(feed(machine, succeeded(), find("card"))).toEqual([{ type: "enter", state: "card-present" }]);
  });

  test("a card lifted before the next find is a removal, and the request is forgotten", () => {
    const machine = presence({ rereadBehaviour: "rereads", removalMisses: 1 });
    feed(machine, find("card"), succeeded(), again());
    expect(machine.step(find("no-card"))).toEqual([{ type: "card-removed", reason: "removed", atMs: T }, { type: "enter", state: "waiting-for-card" }]);
    expect(machine.step(find("card"))).toEqual(INSERT_AND_READ);
    expect(feed(machine, succeeded(), find("card"))).toEqual([{ type: "enter", state: "card-present" }]);
  });

  test("a reader that hides a read card asks for it to be lifted and placed again", () => {
    const machine = presence({ rereadBehaviour: "reads-once" });
    feed(machine, find("card"), succeeded());
    expect(machine.step(again(T + 50))).toEqual([{ type: "card-reread-required", reason: "hidden-after-read", atMs: T + 50 }]);
  });

  test("a card whose read failed is asked to be lifted and placed again", () => {
    const machine = presence();
    feed(machine, find("card"), failed(false));
    expect(machine.step(again(T + 70))).toEqual([{ type: "card-reread-required", reason: "read-failed", atMs: T + 70 }]);
  });

  test("with no card on the reader, or one being read, it decides nothing", () => {
    const machine = presence();
    expect(machine.step(again())).toEqual([]);
    expect(machine.step(find("card"))).toEqual(INSERT_AND_READ);
    expect(machine.step(again())).toEqual([]);
    expect(machine.step(succeeded())).toEqual([{ type: "enter", state: "card-present" }]);
  });
});

describe("CardPresence: polls without an answer", () => {
  test("the first failed poll of a run is reported; the third in a row reopens the device", () => {
    const machine = presence({ unresponsivePolls: 3 });
    expect(machine.step(find("failed"))).toEqual([{ type: "report-poll-failure" }]);
    expect(machine.step(find("failed"))).toEqual([]);
    expect(machine.step(find("failed"))).toEqual([{ type: "reopen", failedPolls: 3 }]);
  });

  test("an answered poll ends the run; reader-ready too", () => {
    const machine = presence({ unresponsivePolls: 2 });
    expect(feed(machine, find("failed"), find("no-card"), find("failed"))).toEqual([{ type: "report-poll-failure" }, { type: "report-poll-failure" }]);
    machine.step({ type: "reader-ready", atMs: T });
    expect(machine.step(find("failed"))).toEqual([{ type: "report-poll-failure" }]);
  });

  test("reopening with a card on the reader forgets it: card-removed (reader-disconnected) before the reopen", () => {
    const machine = presence({ rereadBehaviour: "rereads", unresponsivePolls: 1 });
    feed(machine, find("card"), succeeded());
    expect(machine.step(find("failed", T + 5))).toEqual([
      { type: "report-poll-failure" },
      { type: "card-removed", reason: "reader-disconnected", atMs: T + 5 },
      { type: "reopen", failedPolls: 1 },
    ]);
  });
});

describe("CardPresence: the reader coming and going", () => {
  test("disconnected with a card: card-removed (reader-disconnected) and no state; reader-ready then waits for a card", () => {
    const machine = presence({ rereadBehaviour: "rereads" });
    feed(machine, find("card"), succeeded());
    expect(machine.step({ type: "disconnected", atMs: T + 7 })).toEqual([{ type: "card-removed", reason: "reader-disconnected", atMs: T + 7 }]);
    expect(machine.step({ type: "disconnected", atMs: T + 8 })).toEqual([]);
    expect(machine.step({ type: "reader-ready", atMs: T + 9 })).toEqual([{ type: "enter", state: "waiting-for-card" }]);
  });

  test("disconnected in mid-read forgets the card the same way", () => {
    const machine = presence();
    feed(machine, find("card"));
    expect(machine.step({ type: "disconnected", atMs: T })).toEqual([{ type: "card-removed", reason: "reader-disconnected", atMs: T }]);
    expect(machine.state).toBe("waiting-for-card");
  });

  test("reader-ready with a card whose read never ended (the SAM failed meanwhile): it must be placed again", () => {
    const machine = presence();
    feed(machine, find("card"));
    expect(machine.step({ type: "reader-ready", atMs: T + 1 })).toEqual([
      { type: "enter", state: "awaiting-removal" },
      { type: "card-reread-required", reason: "read-failed", atMs: T + 1 },
    ]);
  });

  test("session-started forgets the card without an event and keeps what auto mode learned", () => {
    const machine = presence();
    feed(machine, find("card"), succeeded(), find("card"));
    expect(machine.rereadsKnown).toBe(true);
    expect(machine.step({ type: "session-started" })).toEqual([]);
    expect(machine.state).toBe("waiting-for-card");
    expect(machine.rereadsKnown).toBe(true);
    expect(machine.step({ type: "reader-ready", atMs: T })).toEqual([{ type: "enter", state: "waiting-for-card" }]);
  });
});

describe("CardPresence: options", () => {
  test("the constructor rejects an unknown behaviour and counts that are not whole numbers of at least 1", () => {
    const base: CardPresenceOptions = { rereadBehaviour: "auto", removalMisses: 2, unresponsivePolls: 3 };
    expect(() => new CardPresence({ ...base, rereadBehaviour: "sometimes" as never })).toThrow('Invalid rereadBehaviour "sometimes": expected auto, rereads, reads-once');
    expect(() => new CardPresence({ ...base, removalMisses: 0 })).toThrow('Invalid removalMisses "0": expected a whole number of at least 1');
    expect(() => new CardPresence({ ...base, unresponsivePolls: 1.5 })).toThrow(RangeError);
  });
});
