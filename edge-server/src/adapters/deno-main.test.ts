import { afterEach, describe, expect, test } from "bun:test";
import { edgeHealthSchema, KIOSK_REQUEST_HEADERS } from "@kiosk/contracts";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The `deno` npm package (a dev dependency) installs the binary beside its
// Node wrapper; the binary itself is run so that signals reach Deno.
const DENO = join(import.meta.dir, "..", "..", "..", "node_modules", "deno", "deno");
const ENTRY = join(import.meta.dir, "deno-main.ts");

let proc: ReturnType<typeof Bun.spawn> | undefined;
let central: ReturnType<typeof Bun.serve> | undefined;
let dir: string | undefined;
afterEach(async () => {
  await central?.stop(true);
  central = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  if (!proc) return;
  proc.kill("SIGTERM");
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(5_000).then(() => false)]);
  if (!exited) proc.kill("SIGKILL");
  proc = undefined;
});

// Reads `stream` until `pattern` matches, giving up (and cancelling the read) after `timeoutMs`.
async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs));
  for (;;) {
    const next = await Promise.race([reader.read(), timeout]);
    if (next === "timeout" || next.done) break;
    text += decoder.decode(next.value, { stream: true });
    const match = text.match(pattern);
    if (match) {
      reader.releaseLock();
      return match;
    }
  }
  await reader.cancel();
  throw new Error(`Deno never printed ${pattern}; output was:\n${text}`);
}

describe("edge server on Deno", () => {
  test("serves the same health and voice prompt routes as on Bun, and signs its heartbeats with the kiosk's key file", async () => {
    dir = mkdtempSync(join(tmpdir(), "deno-edge-"));
    const signingKeyFile = join(dir, "signing.key");
    // A stand-in for central that records the heartbeats' paths and signature headers (central's checks are tested there).
    const heartbeats: Array<{ path: string; keyId: string | null; signature: string | null }> = [];
    central = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) => {
        const h = KIOSK_REQUEST_HEADERS;
        heartbeats.push({ path: new URL(req.url).pathname, keyId: req.headers.get(h.keyId), signature: req.headers.get(h.signature) });
        return Response.json({ receivedAt: new Date().toISOString() });
      },
    });
    proc = Bun.spawn([DENO, "run", "--no-prompt", "--allow-net", "--allow-read", "--allow-write", "--allow-env", ENTRY], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "/tmp",
        DENO_NO_UPDATE_CHECK: "1",
        KIOSK_EDGE_KIOSK_ID: "deno-test-k1",
        KIOSK_EDGE_HTTP_PORT: "0",
        KIOSK_EDGE_CENTRAL_URL: `http://127.0.0.1:${central.port}`,
        KIOSK_EDGE_SYNC_SIGNING_KEY_FILE: signingKeyFile,
        KIOSK_EDGE_CENTRAL_REQUEST_TIMEOUT_MS: "200",
      },
      stdout: "pipe",
      stderr: "inherit",
    });
    const [, url] = await readUntil(proc.stdout as ReadableStream<Uint8Array>, /"url":"(http:\/\/[^"]+)"/, 30_000);
    const res = await fetch(`${url}/api/health`);
    // No device drivers on Deno: the report is complete and says out of service.
    expect(res.status).toBe(503);
    const health = edgeHealthSchema.parse(await res.json());
    expect(health.service).toBe("edge");
    expect(health.kioskId).toBe("deno-test-k1");
    expect(health.status).toBe("out-of-service");
    expect(health.devices.idcardReader).toMatchObject({ state: "stopped", detail: "device drivers run on Bun only" });
    // The generated voice prompts are found from Deno too.
    const clip = await fetch(`${url}/voice/zh/consent`);
    expect([clip.status, clip.headers.get("content-type"), clip.headers.get("x-voice-origin")]).toEqual([200, "audio/ogg", "generated"]);
    expect(new TextDecoder().decode((await clip.bytes()).subarray(0, 4))).toBe("OggS");
    for (let waited = 0; heartbeats.length === 0 && waited < 5_000; waited += 50) await Bun.sleep(50);
    // The first heartbeat went out at start, signed with the key file Deno created (mode 0600).
    expect(heartbeats[0]).toMatchObject({ path: "/api/v1/kiosks/deno-test-k1/heartbeats", keyId: expect.stringMatching(/^ed25519:/), signature: expect.any(String) });
    expect(statSync(signingKeyFile).mode & 0o777).toBe(0o600);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 40_000);
});
