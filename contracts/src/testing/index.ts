export * from "./fake-clock.ts";
export * from "./log-capture.ts";
