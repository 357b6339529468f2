import type { CommandEntry } from "../command.ts";

/** Every subcommand of `./kiosk`. Help lists them in this order. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    words: ["demo"],
    args: "[--edge-port N] [--central-port N] [--host ADDR] [--data-dir DIR]",
    summary: "run central and one kiosk on simulated devices; Ctrl-C stops everything",
    load: () => import("./demo.ts"),
  },
  {
    words: ["test"],
    args: "",
    summary: "type-check, check dependency rules, run unit and browser tests",
    load: () => import("./test.ts"),
  },
  {
    words: ["edge"],
    args: "[--print-config] [--no-build-ui]",
    summary: "run the kiosk's edge server (config from KIOSK_EDGE_* variables)",
    load: () => import("./edge.ts"),
  },
  {
    words: ["central"],
    args: "[--print-config]",
    summary: "run the central office service (config from KIOSK_CENTRAL_* variables)",
    load: () => import("./central.ts"),
  },
  {
    words: ["config"],
    args: "[edge|central] [--markdown]",
    summary: "list every setting with its environment variable and default",
    load: () => import("./config.ts"),
  },
  {
    words: ["idcard", "decode"],
    args: "FILE",
    summary: "decode a captured ID-card read reply (hex text or raw bytes) and print the card as JSON",
    load: () => import("./idcard-decode.ts"),
  },
];
