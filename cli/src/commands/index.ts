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
    words: ["central", "register-kiosk"],
    args: "--kiosk-id ID --hall HALL --public-key BASE64 [--key-id ID]",
    summary: "register a kiosk's public key (and its hall) in central's kiosk directory",
    load: () => import("./central-register-kiosk.ts"),
  },
  {
    words: ["central", "token", "create"],
    args: "--name NAME",
    summary: "create an API token for the registration system and print it once",
    load: () => import("./central-token-create.ts"),
  },
  {
    words: ["central", "key"],
    args: "",
    summary: "print central's public receipt key (key id and base64) for configuring kiosks",
    load: () => import("./central-key.ts"),
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
  {
    words: ["idcard", "simulate"],
    args: "--port LINK [--card CARD.json] [--empty] [--baud N] [--no-pacing] [--module-ms N] [--faults SCRIPT.json] [--no-reread] [--control SOCKET [--cards DIR]]",
    summary: "serve a simulated ID-card reader on a pty linked at LINK until Ctrl-C (default: a demo card)",
    load: () => import("./idcard-simulate.ts"),
  },
  {
    words: ["idcard", "read"],
    args: "--port DEV [--baud N] [--timeout-ms N] | --hid VID:PID [--timeout-ms N]",
    summary: "read one card from a serial or HID reader and print it as JSON (as idcard decode)",
    load: () => import("./idcard-read.ts"),
  },
  {
    words: ["bench", "idcard"],
    args: "[--unpaced-runs N] [--paced-runs N] [--warmup-runs N] [--deframer-mb N]",
    summary: "benchmark the ID-card stack over a pty (overhead, paced timing, deframer) and print one JSON object",
    load: () => import("./bench-idcard.ts"),
  },
  {
    words: ["bench", "sync"],
    args: "[--records N] [--samples N] [--verify-workers N]",
    summary: "benchmark store-and-forward (kiosk commit, backlog drain into SQLite and PostgreSQL, ingest, verify) and print JSON",
    load: () => import("./bench-sync.ts"),
  },
  {
    words: ["bench", "sync-chaos"],
    args: "[--quick] [--results N] [--seed S] [--kiosks N] [--seconds N] [--sqlite] [--keep]",
    summary: "run the store-and-forward fault harness and print JSON (lost, duplicated, forgeries accepted); exit 1 on any",
    load: () => import("./bench-sync-chaos.ts"),
  },
  {
    words: ["bench", "journey"],
    args: "[--runs N]",
    summary: "time the applicant's journey in Chromium against the demo (card to face, face to verdict, challenge, whole journey, edge RSS, UI size) and print JSON",
    load: () => import("./bench-journey.ts"),
  },
  {
    words: ["face", "compare"],
    args: "CHIP LIVE",
    summary: "compare a chip photo with a live photo using the face engine and print similarity, decision and quality as JSON",
    load: () => import("./face-compare.ts"),
  },
  {
    words: ["face", "eval"],
    args: "--pairs FILE [--root DIR] [--plot roc.svg] [--model NAME] [--workers N] [--scores FILE] [--embeddings FILE] [--sessions K [--seed N] [--rule RULE]]",
    summary: "measure face verification (TAR at FAR, EER, operating point) on a chip/live pairs list, or on capture sessions of K live photos, and print JSON",
    load: () => import("./face-eval.ts"),
  },
  {
    words: ["face", "calibrate"],
    args: "--scores FILE [--scores FILE ...] [--far 1e-3] [--rounds N] [--quantile Q] [--folds N]",
    summary: "choose an operating threshold from face eval pair or session scores (identity bootstrap, leave-identities-out check, every list) and print JSON",
    load: () => import("./face-calibrate.ts"),
  },
  {
    words: ["face", "sequence"],
    args: "--photo LIVE.jpg --kind still|blink|turn-left|turn-right --out DIR [--frames N] [--seed N]",
    summary: "make a replay frame sequence from one photo (held-up still, blink, head turn) for the camera, quality gate and liveness tests",
    load: () => import("./face-sequence.ts"),
  },
  {
    words: ["face", "capture"],
    args: "--chip CHIP [--replay PATH | --device DEV] [--fps N] [--liveness passive|active|both] [--time-limit-ms N]",
    summary: "run one whole face capture (guidance, liveness challenge, match of the best K frames with the chip photo) on the camera or a replay; JSON lines",
    load: () => import("./face-capture.ts"),
  },
  {
    words: ["bench", "face"],
    args: "[--frames N] [--workers N]",
    summary: "benchmark the face engine on 640x480 frames (guidance fps, embedding latency, load time) and print JSON",
    load: () => import("./bench-face.ts"),
  },
  {
    words: ["voice", "build"],
    args: "[--out DIR] [--key KEY ...]",
    summary: "make the voice prompt clips offline from their captions with espeak-ng and ffmpeg (Opus in Ogg) and their manifest; print JSON",
    load: () => import("./voice-build.ts"),
  },
  {
    words: ["voice", "list"],
    args: "",
    summary: "print every voice prompt key with its Chinese and English caption, one JSON line each",
    load: () => import("./voice-list.ts"),
  },
];
