import { describe, expect, test } from "bun:test";
import { oggOpusDurationMs } from "./ogg-opus-duration.ts";

/** One Ogg page (RFC 3533 §6) holding `packet`, with granule position `granule`; the CRC is not checked by the reader. */
function page(packet: Uint8Array, granule: bigint): Uint8Array {
  const header = new Uint8Array(27 + 1);
  header.set([0x4f, 0x67, 0x67, 0x53]);
  new DataView(header.buffer).setBigUint64(6, granule, true);
  header[26] = 1;
  header[27] = packet.length;
  const out = new Uint8Array(header.length + packet.length);
  out.set(header);
  out.set(packet, header.length);
  return out;
}

function opusHead(preSkip: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode("OpusHead"));
  head[8] = 1;
  head[9] = 1;
  new DataView(head.buffer).setUint16(10, preSkip, true);
  return head;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("oggOpusDurationMs", () => {
  test("is the last page's granule position less the pre-skip, at 48 kHz", () => {
    const file = concat(page(opusHead(312), 0n), page(new TextEncoder().encode("OpusTags"), 0n), page(new Uint8Array(40), 48_000n), page(new Uint8Array(40), 144_312n));
    expect(oggOpusDurationMs(file)).toBe(3000);
  });

  test("a stream with no audio lasts 0 ms", () => {
    expect(oggOpusDurationMs(page(opusHead(312), 0n))).toBe(0);
  });

  test("refuses what is not Ogg Opus", () => {
    expect(() => oggOpusDurationMs(new TextEncoder().encode("RIFF....WAVE"))).toThrow(SyntaxError);
    const vorbis = page(new TextEncoder().encode("\x01vorbis\0\0\0\0\x01"), 0n);
    expect(() => oggOpusDurationMs(vorbis)).toThrow('Not an Ogg Opus stream: the first packet starts "\x01vorbis\0"');
  });
});
