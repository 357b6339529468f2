import { readFile, stat } from "node:fs/promises";
import { resolve, sep } from "node:path";
import type { Asset, AssetSource } from "../ports.ts";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  woff2: "font/woff2",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  wav: "audio/wav",
  map: "application/json",
};

/**
 * Serves files from a folder on disk (the built kiosk UI). It uses only
 * `node:fs`, which Bun and Deno both provide. Paths that would leave the
 * folder are refused.
 */
export class AssetDir implements AssetSource {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async get(path: string): Promise<Asset | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    const full = resolve(this.#root, `.${decoded}`);
    if (full !== this.#root && !full.startsWith(this.#root + sep)) return undefined;
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const ext = full.slice(full.lastIndexOf(".") + 1).toLowerCase();
    return { body: new Uint8Array(await readFile(full)), contentType: CONTENT_TYPES[ext] ?? "application/octet-stream" };
  }
}
