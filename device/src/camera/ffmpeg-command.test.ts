import { describe, expect, test } from "bun:test";
import { DEFAULT_CAPTURE, ffmpegCaptureArgs, ffmpegVideoReplayArgs, resolveCapture, type CaptureOptions } from "./ffmpeg-command.ts";

const PIPE_OUTPUT = ["-fps_mode", "passthrough", "-flush_packets", "1", "-f", "image2pipe", "pipe:1"];

/** The value following `flag`, or undefined. */
function flag(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

describe("resolveCapture", () => {
  test("applies the documented defaults", () => {
    expect(resolveCapture()).toEqual({
      input: { kind: "v4l2", device: "/dev/video0" },
      width: 640,
      height: 480,
      framerate: 30,
      inputFormat: "mjpeg",
      jpegQscale: 5,
      channel: "rgb",
    });
    expect(DEFAULT_CAPTURE.device).toBe("/dev/video0");
  });

  test.each<[CaptureOptions, RegExp]>([
    [{ width: 641 }, /width "641"/],
    [{ height: 0 }, /height "0"/],
    [{ width: 1.5 }, /width/],
    [{ framerate: 0 }, /framerate "0"/],
    [{ framerate: Number.NaN }, /framerate/],
    [{ inputFormat: "h264" as never }, /inputFormat "h264"/],
    [{ jpegQscale: 1 }, /jpegQscale "1"/],
    [{ jpegQscale: 32 }, /jpegQscale/],
    [{ channel: "depth" as never }, /channel "depth"/],
    [{ input: { kind: "v4l2", device: "" } }, /V4L2 device/],
    [{ input: { kind: "lavfi", graph: "" } }, /lavfi graph/],
  ])("rejects %p", (options, message) => {
    expect(() => resolveCapture(options)).toThrow(RangeError);
    expect(() => resolveCapture(options)).toThrow(message);
  });
});

describe("ffmpegCaptureArgs", () => {
  test("copies an MJPEG camera stream, adding Huffman tables, without re-encoding", () => {
    const args = ffmpegCaptureArgs(resolveCapture({ input: { kind: "v4l2", device: "/dev/video2" }, width: 1280, height: 720, framerate: 15 }));
    expect(args).toEqual([
      "-hide_banner",
      "-loglevel",
      "error",
      "-nostdin",
      "-f",
      "v4l2",
      "-input_format",
      "mjpeg",
      "-video_size",
      "1280x720",
      "-framerate",
      "15",
      "-i",
      "/dev/video2",
      "-map",
      "0:v:0",
      "-c:v",
      "copy",
      "-bsf:v",
      "mjpeg2jpeg",
      ...PIPE_OUTPUT,
    ]);
  });

  test.each(["yuyv422", "gray"] as const)("encodes %s to 4:2:0 JPEG at the configured quality", (inputFormat) => {
    const args = ffmpegCaptureArgs(resolveCapture({ inputFormat, jpegQscale: 3 }));
    expect(flag(args, "-input_format")).toBe(inputFormat);
    expect(flag(args, "-i")).toBe("/dev/video0");
    expect(flag(args, "-c:v")).toBe("mjpeg");
    expect(flag(args, "-pix_fmt")).toBe("yuvj420p");
    expect(flag(args, "-q:v")).toBe("3");
    expect(args).not.toContain("-bsf:v");
    expect(args.slice(-PIPE_OUTPUT.length)).toEqual(PIPE_OUTPUT);
  });

  test("a lavfi input replaces the whole V4L2 input part and is paced with -re by default", () => {
    const graph = "testsrc2=size=320x240:rate=30";
    const args = ffmpegCaptureArgs(resolveCapture({ input: { kind: "lavfi", graph } }));
    expect(args).toEqual(["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i", graph, "-map", "0:v:0", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "5", ...PIPE_OUTPUT]);
    expect(args).not.toContain("v4l2");
  });

  test("an unpaced lavfi input has no -re", () => {
    const args = ffmpegCaptureArgs(resolveCapture({ input: { kind: "lavfi", graph: "testsrc2", realtime: false } }));
    expect(args).not.toContain("-re");
    expect(flag(args, "-i")).toBe("testsrc2");
  });
});

describe("ffmpegVideoReplayArgs", () => {
  test("decodes at a fixed rate and encodes 4:2:0 JPEG", () => {
    expect(ffmpegVideoReplayArgs({ path: "/srv/demo.mp4", fps: 25 })).toEqual([
      "-hide_banner",
      "-loglevel",
      "error",
      "-nostdin",
      "-i",
      "/srv/demo.mp4",
      "-map",
      "0:v:0",
      "-vf",
      "fps=25",
      "-c:v",
      "mjpeg",
      "-pix_fmt",
      "yuvj420p",
      "-q:v",
      "5",
      ...PIPE_OUTPUT,
    ]);
  });

  test("scales to cover the requested size and crops the centre", () => {
    const args = ffmpegVideoReplayArgs({ path: "a.mkv", fps: 30, size: { width: 320, height: 240 }, jpegQscale: 8 });
    expect(flag(args, "-vf")).toBe("fps=30,scale=320:240:force_original_aspect_ratio=increase,crop=320:240");
    expect(flag(args, "-q:v")).toBe("8");
  });

  test("rejects a bad path, fps or size", () => {
    expect(() => ffmpegVideoReplayArgs({ path: "", fps: 30 })).toThrow(RangeError);
    expect(() => ffmpegVideoReplayArgs({ path: "a", fps: 0 })).toThrow(/fps "0"/);
    expect(() => ffmpegVideoReplayArgs({ path: "a", fps: 30, size: { width: 3, height: 2 } })).toThrow(/width "3"/);
  });
});
