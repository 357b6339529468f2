export * from "./fake-hid-device.ts";
export * from "./pty-pair.ts";
export * from "./wait-for.ts";
