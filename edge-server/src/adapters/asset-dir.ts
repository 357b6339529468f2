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
 * Serves files from a folder on disk (the built kiosk UI) with Bun's file
 * API. Paths that would leave the folder are refused.
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
    const file = Bun.file(full);
    if (!(await file.exists())) return undefined;
    const ext = full.slice(full.lastIndexOf(".") + 1).toLowerCase();
    return { body: file, contentType: CONTENT_TYPES[ext] ?? "application/octet-stream" };
  }
}
