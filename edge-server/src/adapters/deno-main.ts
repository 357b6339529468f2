/**
 * Entry point of the edge server on Deno. It serves the same web-standard
 * core as the Bun entry point (`main.ts`), which keeps the edge server
 * portable: a test starts it here and calls its health route.
 *
 * Its heartbeats are signed with the kiosk's key file (`sync.signingKeyFile`,
 * created on first start as on Bun), like the Bun entry's.
 *
 * Run: `deno run --allow-net --allow-read --allow-write --allow-env edge-server/src/adapters/deno-main.ts`
 */
import { createLogger, jsonLineSink, systemClock } from "@kiosk/contracts";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { composeEdge } from "../compose.ts";
import { loadEdgeConfig } from "../config.ts";
import { CentralClock } from "../outbox/central-clock.ts";
import { SignedUpstream } from "../outbox/signed-upstream.ts";
import { AssetDir } from "./asset-dir.ts";
import { FetchUpstreamClient } from "./upstream-client-fetch.ts";
import { VoicePromptFiles } from "./voice-prompt-files.ts";

// The few Deno APIs used here, declared so the file type-checks without Deno's types.
declare const Deno: {
  env: { toObject(): Record<string, string> };
  stdout: { writeSync(bytes: Uint8Array): number };
  serve(
    options: { hostname: string; port: number; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

const config = loadEdgeConfig(Deno.env.toObject());
// The reader and camera drivers use Bun-only modules, so on Deno the devices
// report as stopped and the kiosk as out of service; the HTTP core is the same.
const startedAt = new Date().toISOString();
const noDriver = { kind: "none", state: "stopped", since: startedAt, detail: "device drivers run on Bun only" } as const;
const encoder = new TextEncoder();
const log = createLogger({
  ns: "edge",
  level: config.log.level,
  fields: { kioskId: config.kioskId, runtime: "deno" },
  sink: jsonLineSink((line) => Deno.stdout.writeSync(encoder.encode(line))),
});
const central = new SignedUpstream({
  upstream: new FetchUpstreamClient({ url: config.central.url, timeoutMs: config.central.requestTimeoutMs }),
  signer: await loadOrCreateSigningKey(config.sync.signingKeyFile),
  centralClock: new CentralClock(systemClock),
  log: log.child("central"),
});
const core = composeEdge(config, {
  clock: systemClock,
  log,
  central,
  assets: new AssetDir(config.ui.dir),
  voice: new VoicePromptFiles({ recordingsDir: config.voice.recordingsDir }),
  devices: { snapshot: () => ({ idcardReader: noDriver, camera: noDriver }) },
});
const server = Deno.serve(
  {
    hostname: config.http.host,
    port: config.http.port,
    onListen: ({ hostname, port }) => log.info("listening", { url: `http://${hostname}:${port}` }),
  },
  core.app.fetch,
);
await core.heartbeat.start();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    void core.heartbeat.stop().then(() => server.shutdown());
  });
}
await server.finished;
log.info("edge server stopped");
// The signal listeners would keep Deno alive after the server has finished.
Deno.exit(0);
