import { isSessionPromptKey, isSessionLanguage, KioskError, sha256Hex, SESSION_LANGUAGES } from "@kiosk/contracts";
import { Hono } from "hono";
import type { VoicePromptSource } from "../ports.ts";

/**
 * Serves voice prompt clips at `GET /:lang/:key` (mounted under `/voice`).
 *
 * Clips are revalidated on every play (`no-cache` with an `ETag` of their
 * content), so a recording dropped into the recordings folder is heard the
 * next time the prompt plays, and an unchanged clip costs a 304.
 *
 * @throws {KioskError} `not-found` for an unknown language or key, or a prompt without a clip.
 */
export function voiceRoutes(source: VoicePromptSource): Hono {
  const routes = new Hono();
  routes.get("/:lang/:key", async (c) => {
    const { lang, key } = c.req.param();
    if (!isSessionLanguage(lang)) throw new KioskError("not-found", `Unknown voice prompt language "${lang}": expected one of ${SESSION_LANGUAGES.join(", ")}`);
    if (!isSessionPromptKey(key)) throw new KioskError("not-found", `Unknown voice prompt "${key}"`);
    const clip = await source.get(lang, key);
    if (!clip) throw new KioskError("not-found", `No clip for voice prompt "${key}" in "${lang}": run ./kiosk voice build`);
    const etag = `"${await sha256Hex(clip.body)}"`;
    const headers = { "Cache-Control": "no-cache", ETag: etag, "X-Voice-Origin": clip.origin };
    if (matchesEtag(c.req.header("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
    return new Response(clip.body, { headers: { ...headers, "Content-Type": clip.contentType, "X-Content-Type-Options": "nosniff" } });
  });
  return routes;
}

// RFC 9110 §13.1.2: a list of tags (weak ones compare by their opaque part), or "*".
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}
