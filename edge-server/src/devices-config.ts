/**
 * Settings of the kiosk's hardware: the ID-card reader (serial or USB HID),
 * its optional vendor WLT photo decoder, and the camera (a V4L2 device, or a
 * replay of recorded frames). Mounted as `devices` in the edge configuration.
 */
import { z } from "zod";

const vidPid = z.string().regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/, 'expected "VID:PID" in hex, such as "0400:c35a"');

/** Schema of the `devices` settings. */
export const devicesConfigSchema = z.object({
  reader: z.object({
    transport: z.enum(["serial", "hid"]).default("serial").meta({ description: "How the ID-card reader is attached: serial (RS-232, USB-CDC) or hid" }),
    serialPath: z.string().min(1).default("/dev/ttyUSB0").meta({ description: "Serial device of the reader (transport serial)" }),
    baudRate: z
      .union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)])
      .default(115200)
      .meta({ description: "Serial speed of the reader; GA 467 readers default to 115200" }),
    hidId: vidPid.optional().meta({ description: 'USB id "VID:PID" of a HID reader (transport hid)' }),
    pollIntervalMs: z.number().int().min(50).max(5000).default(300).meta({ description: "Time between card-present polls, in milliseconds" }),
    rereadBehaviour: z
      .enum(["auto", "rereads", "reads-once"])
      .default("auto")
      .meta({ description: "Whether the reader model reads a card twice without lifting it; auto learns it" }),
    deviceLostAfterMs: z
      .number()
      .int()
      .min(1000)
      .default(10_000)
      .meta({ description: "Report the reader lost (out of service) after it has been unavailable this long, in milliseconds" }),
  }),
  wltDecoder: z.object({
    libraryPath: z
      .string()
      .optional()
      .meta({ description: "Path of the reader vendor's licensed WLT photo library (.so); unset means chip photos in WLT cannot be decoded" }),
    symbol: z.string().min(1).default("_Z6unpackPcS_i").meta({ description: "Exported decode function of the vendor library" }),
    arg: z.number().int().default(0).meta({ description: "Vendor-specific third argument of the decode function (see the vendor's documentation)" }),
    channelOrder: z.enum(["rgb", "bgr"]).default("bgr").meta({ description: "Channel order of the library's output pixels" }),
    bottomUp: z.boolean().default(true).meta({ description: "Whether the library writes rows bottom-up, as in a BMP file" }),
  }),
  camera: z.object({
    source: z.enum(["v4l2", "replay"]).default("v4l2").meta({ description: "Where frames come from: a V4L2 camera, or a replay of images or a video" }),
    device: z.string().min(1).default("/dev/video0").meta({ description: "V4L2 device of the camera (source v4l2)" }),
    width: z.number().int().min(160).max(4096).default(640).meta({ description: "Frame width in pixels" }),
    height: z.number().int().min(120).max(4096).default(480).meta({ description: "Frame height in pixels" }),
    fps: z.number().int().min(1).max(60).default(30).meta({ description: "Frames per second asked of the camera or played by the replay" }),
    inputFormat: z.enum(["mjpeg", "yuyv422", "gray"]).default("mjpeg").meta({ description: "Pixel format asked of the V4L2 camera" }),
    replayPath: z
      .string()
      .optional()
      .meta({ description: "Folder of images or a video file played as the camera (source replay); looped" }),
  }),
});

/** The `devices` settings. */
export type DevicesConfig = z.output<typeof devicesConfigSchema>;
