import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import sharp from "sharp";
import { MjpegSplitter } from "../mjpeg-splitter.ts";
import { JpegFrameDecoder } from "./jpeg-frame-decoder.ts";

const decoder = new JpegFrameDecoder();

/** A 32×16 image: left half red, right half blue, as a JPEG. */
async function halves(options: { greyscale?: boolean } = {}): Promise<Uint8Array> {
  const width = 32;
  const height = 16;
  const raw = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [220, 20, 30] : [20, 30, 220], (y * width + x) * 3);
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } });
  if (options.greyscale) image = image.toColourspace("b-w");
  return new Uint8Array(await image.jpeg({ quality: 95 }).toBuffer());
}

function pixel(rgb: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const at = (y * rgb.width + x) * 3;
  return [...rgb.data.subarray(at, at + 3)];
}

describe("JpegFrameDecoder", () => {
  test("decodes to packed RGB, row-major, R G B", async () => {
    const rgb = await decoder.decode({ bytes: await halves() });
    expect([rgb.width, rgb.height, rgb.data.length]).toEqual([32, 16, 32 * 16 * 3]);
    const [r1, g1, b1] = pixel(rgb, 2, 8) as [number, number, number];
    const [r2, g2, b2] = pixel(rgb, 29, 8) as [number, number, number];
    expect(Math.abs(r1 - 220) + Math.abs(g1 - 20) + Math.abs(b1 - 30)).toBeLessThan(30);
    expect(Math.abs(r2 - 20) + Math.abs(g2 - 30) + Math.abs(b2 - 220)).toBeLessThan(30);
  });

  test("a greyscale (infrared) JPEG comes out as three equal channels", async () => {
    const grey = await halves({ greyscale: true });
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const rgb = await decoder.decode({ bytes: grey });
    expect(rgb.data.length).toBe(32 * 16 * 3);
    const [r, g, b] = pixel(rgb, 5, 5);
    expect(r).toBe(g as number);
    expect(g).toBe(b as number);
  });

  test("decodes a frame from the ffmpeg capture pipeline (4:2:0, through the splitter)", async () => {
    const ffmpeg = spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "2", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-f", "image2pipe", "pipe:1"]);
    expect(ffmpeg.status).toBe(0);
    const images = new MjpegSplitter().push(new Uint8Array(ffmpeg.stdout));
    expect(images).toHaveLength(2);
    const rgb = await decoder.decode(images[1] as { bytes: Uint8Array });
    expect([rgb.width, rgb.height, rgb.data.length]).toEqual([320, 240, 320 * 240 * 3]);
  });

  test.each([
    ["a JPEG cut off in its scan data", async () => {
      const whole = await halves();
      return whole.subarray(0, whole.length - 20);
    }],
    ["a PNG", async () => new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } }).png().toBuffer())],
    ["three bytes", async () => Uint8Array.of(0xff, 0xd8, 0xff)],
  ])("rejects %s with a SyntaxError", async (_name, make) => {
    const bytes = await make();
    const error = await decoder.decode({ bytes }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toContain(`${bytes.length} bytes`);
  });
});
