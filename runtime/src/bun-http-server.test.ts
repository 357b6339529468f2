import { describe, expect, test } from "bun:test";
import { captureLogger } from "@kiosk/contracts/testing";
import { readFileSync } from "node:fs";
import { BunHttpServer } from "./bun-http-server.ts";
import { makeTestCertificates } from "./testing/test-certificates.ts";

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

  test("serves HTTPS only, from the given certificate, to a client that trusts its CA", async () => {
    const certs = makeTestCertificates();
    const server = new BunHttpServer({ host: "127.0.0.1", port: 0, log: captureLogger().log, fetch: () => new Response("secure"), tls: { cert: certs.cert, key: certs.key } });
    try {
      await server.start();
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await fetch(server.url, { tls: { ca: certs.ca } });
      expect(await answer.text()).toBe("secure");
      await expect(fetch(server.url, { tls: { ca: readFileSync(certs.otherCaFile, "utf8") } })).rejects.toThrow();
      await expect(fetch(server.url.replace("https:", "http:"))).rejects.toThrow();
    } finally {
      await server.stop();
      certs.remove();
    }
  });
});
