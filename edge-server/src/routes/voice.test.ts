import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { problemSchema } from "@kiosk/contracts";
import { captureLogger } from "@kiosk/contracts/testing";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../app.ts";
import { VoicePromptFiles } from "../adapters/voice-prompt-files.ts";

const OGG = new TextEncoder().encode("OggS generated consent");
const RECORDED_MP3 = new TextEncoder().encode("ID3 recorded consent");

let dir: string;
let recordingsDir: string;
let generatedDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "voice-route-"));
  recordingsDir = join(dir, "recordings");
  generatedDir = join(dir, "generated");
  await mkdir(join(generatedDir, "zh"), { recursive: true });
  await writeFile(join(generatedDir, "zh", "consent.ogg"), OGG);
  // A secret beside the folders that path tricks would aim at.
  await writeFile(join(dir, "secret.ogg"), "secret");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function app() {
  const { log } = captureLogger();
  return createApp({
    health: () => {
      throw new Error("not used");
    },
    assets: { get: async () => undefined },
    voice: new VoicePromptFiles({ recordingsDir, generatedDir }),
    log,
  });
}

async function expectProblem(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const problem = problemSchema.parse(await res.json());
  expect(problem.code).toBe(code as typeof problem.code);
  return problem.detail;
}

describe("GET /voice/:lang/:key", () => {
  test("serves the generated clip as Ogg, revalidated on every play", async () => {
    const res = await app().request("/voice/zh/consent");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/ogg");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-voice-origin")).toBe("generated");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{64}"$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(OGG);
  });

  test("answers 304 without a body when the clip is unchanged", async () => {
    const first = await app().request("/voice/zh/consent");
    const etag = first.headers.get("etag") ?? "";
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await app().request("/voice/zh/consent", { headers: { "If-None-Match": ifNoneMatch } });
      expect(res.status).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(etag);
    }
    expect((await app().request("/voice/zh/consent", { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
  });

  test("a recording dropped into the folder wins at once, with its own type, and removing it brings the generated clip back", async () => {
    const before = await app().request("/voice/zh/consent");
    await mkdir(join(recordingsDir, "zh"), { recursive: true });
    await writeFile(join(recordingsDir, "zh", "consent.mp3"), RECORDED_MP3);

    const res = await app().request("/voice/zh/consent", { headers: { "If-None-Match": before.headers.get("etag") ?? "" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("x-voice-origin")).toBe("recording");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(RECORDED_MP3);

    // Ogg is looked for before MP3; a recording in the other language changes nothing here.
    await writeFile(join(recordingsDir, "zh", "consent.ogg"), "OggS recorded");
    await mkdir(join(recordingsDir, "en"), { recursive: true });
    await writeFile(join(recordingsDir, "en", "consent.wav"), "RIFF recorded en");
    const ogg = await app().request("/voice/zh/consent");
    expect(ogg.headers.get("content-type")).toBe("audio/ogg");
    expect(await ogg.text()).toBe("OggS recorded");
    const wav = await app().request("/voice/en/consent");
    expect(wav.headers.get("content-type")).toBe("audio/wav");

    await rm(join(recordingsDir, "zh"), { recursive: true });
    const back = await app().request("/voice/zh/consent");
    expect(back.headers.get("x-voice-origin")).toBe("generated");
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(OGG);
  });

  test("an empty recording (still being copied) is passed over", async () => {
    await mkdir(join(recordingsDir, "zh"), { recursive: true });
    await writeFile(join(recordingsDir, "zh", "consent.ogg"), "");
    const res = await app().request("/voice/zh/consent");
    expect(res.headers.get("x-voice-origin")).toBe("generated");
  });

  test("unknown languages and keys get a typed not-found", async () => {
    expect(await expectProblem(await app().request("/voice/fr/consent"), 404, "not-found")).toBe('Unknown voice prompt language "fr": expected one of zh, en');
    expect(await expectProblem(await app().request("/voice/zh/welcome"), 404, "not-found")).toBe('Unknown voice prompt "welcome"');
    expect(await expectProblem(await app().request("/voice/zh/toString"), 404, "not-found")).toContain("Unknown voice prompt");
  });

  test("a known prompt without any clip gets a not-found that says how to make one", async () => {
    expect(await expectProblem(await app().request("/voice/en/consent"), 404, "not-found")).toBe('No clip for voice prompt "consent" in "en": run ./kiosk voice build');
  });

  test("path tricks reach no file", async () => {
    await mkdir(join(recordingsDir, "zh"), { recursive: true });
    for (const path of [
      "/voice/zh/..%2F..%2Fsecret",
      "/voice/zh/%2E%2E",
      "/voice/..%2Fsecret/consent",
      "/voice/zh/consent.ogg",
      "/voice/zh/consent%00",
      "/voice/zh/consent/extra",
      "/voice/zh/",
      "/voice/zh",
    ]) {
      const res = await app().request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });

  test("only GET is served", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      await expectProblem(await app().request("/voice/zh/consent", { method }), 404, "not-found");
    }
  });
});
