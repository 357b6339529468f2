import { describe, expect, test } from "bun:test";
import { captureLogger } from "@kiosk/contracts/testing";
import { BunHttpServer } from "./bun-http-server.ts";

describe("BunHttpServer", () => {
  test("serves on a free port and finishes a request in flight before stopping", async () => {
    const { log } = captureLogger();
    const arrived = Promise.withResolvers<void>();
    const release = Promise.withResolvers<Response>();
    const server = new BunHttpServer({
      host: "127.0.0.1",
      port: 0,
      log,
      fetch: () => {
        arrived.resolve();
        return release.promise;
      },
    });
    await server.start();
    const url = server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const inFlight = fetch(url);
    await arrived.promise;
    const stopped = server.stop();
    release.resolve(new Response("done"));
    expect(await (await inFlight).text()).toBe("done");
    await stopped;
    await expect(fetch(url)).rejects.toThrow();
  });
});
