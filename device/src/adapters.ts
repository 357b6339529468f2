/**
 * The device adapters: code that loads native libraries or opens devices
 * (serialport, node-hid, sharp, `bun:ffi`). Only a composition root and
 * other adapters import this entry point; pure code uses `@kiosk/device`.
 */
export * from "./idcard/photo/adapters/image-photo-decoder.ts";
export * from "./idcard/photo/adapters/wlt-ffi-decoder.ts";
export * from "./idcard/simulator/adapters/ffi-pty-link.ts";
export * from "./transport/bun-serial-binding.ts";
export type * from "./transport/byte-transport.ts";
export * from "./transport/hid-devices.ts";
export * from "./transport/hid-transport.ts";
export * from "./transport/serial-transport.ts";
export * from "./camera/adapters/ffmpeg-camera.ts";
export * from "./camera/adapters/jpeg-frame-decoder.ts";
export * from "./camera/adapters/replay-camera.ts";
export * from "./idcard/simulator/adapters/unix-control-server.ts";
export * from "./camera/adapters/demo-camera.ts";
