import { describe, expect, test } from "bun:test";
import { ReaderLine, type ReaderConnection } from "./reader-line.ts";

function fakeConnector() {
  const log: string[] = [];
  const losers: (() => void)[] = [];
  let n = 0;
  const connect = async (onLost: () => void): Promise<ReaderConnection> => {
    const id = ++n;
    log.push(`connect ${id}`);
    losers.push(onLost);
    return { stop: async () => void log.push(`stop ${id}`) };
  };
  return { log, losers, connect };
}

describe("ReaderLine", () => {
  test("starts unplugged; replug connects, unplug stops that connection, and each is idempotent", async () => {
    const { log, connect } = fakeConnector();
    const line = new ReaderLine({ connect });
    expect(line.connected).toBe(false);
    await line.replug();
    await line.replug();
    expect(line.connected).toBe(true);
    await line.unplug();
    await line.unplug();
    expect(line.connected).toBe(false);
    await line.replug();
    expect(log).toEqual(["connect 1", "stop 1", "connect 2"]);
  });

  test("changes run one after another even when asked at once", async () => {
    const { log, connect } = fakeConnector();
    const line = new ReaderLine({ connect });
    await Promise.all([line.replug(), line.unplug(), line.replug()]);
    expect(log).toEqual(["connect 1", "stop 1", "connect 2"]);
    expect(line.connected).toBe(true);
  });

  test("a connection lost on its own reports once and leaves the line unplugged; a stale loss is ignored", async () => {
    const { losers, connect } = fakeConnector();
    let lost = 0;
    const line = new ReaderLine({ connect, onLost: () => lost++ });
    await line.replug();
    await line.unplug();
    await line.replug();
    losers[0]!();
    expect([lost, line.connected]).toEqual([0, true]);
    losers[1]!();
    losers[1]!();
    expect([lost, line.connected]).toEqual([1, false]);
  });

  test("a failed connect leaves the line unplugged and later changes still run", async () => {
    let fail = true;
    const line = new ReaderLine({
      connect: async () => {
        if (fail) throw new Error("no pty");
        return { stop: async () => undefined };
      },
    });
    await expect(line.replug()).rejects.toThrow("no pty");
    expect(line.connected).toBe(false);
    fail = false;
    await line.replug();
    expect(line.connected).toBe(true);
  });
});
