export * from "./fake-clock.ts";
export * from "./log-capture.ts";
export * from "./rejection.ts";
export * from "./sample-signature.ts";
