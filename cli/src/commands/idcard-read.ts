/**
 * `./kiosk idcard read --port DEV [--baud N] [--timeout-ms N]` or
 * `./kiosk idcard read --hid VID:PID [--timeout-ms N]`: reads ONE card
 * through the real stack (serial or HID transport + reader session) and
 * prints it as `./kiosk idcard decode` does, one JSON line.
 *
 * Exit 0 with `{"ok":true,"card":{…}}`; exit 2 with
 * `{"ok":false,"error":{"code","message"}}` when no card arrives in time
 * (`no-card`), the device is missing or does not answer
 * (`device-unavailable`, `no-response`), its SAM fails (`sam-failed`), the
 * card cannot be parsed (`card-unreadable`), or for bad usage (`usage`).
 * Exit 1 on Ctrl-C.
 *
 * The chip photo is decoded when possible: simulated cards' JPEG/WebP always,
 * WLT photos with the vendor library given by `--wlt-library PATH` (and
 * `--wlt-symbol`, `--wlt-arg`, `--wlt-channel-order rgb|bgr`, `--wlt-top-down`
 * as its documentation says). The photo object then gives `width` and
 * `height`, or `decodeError` when it cannot be decoded.
 */
import {
  ChipPhotoDecoder,
  IdCardReader,
  hidReaderTransport,
  identityToJson,
  serialReaderTransport,
  type CardJson,
  type IdentityRecord,
  type ReaderErrorEvent,
  type TransportFactory,
} from "@kiosk/device";
import { ImagePhotoDecoder, WltFfiDecoder } from "@kiosk/device/adapters";
import { silentLogger, systemClock } from "@kiosk/contracts";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { wholeNumber } from "../flags.ts";

const DEFAULT_TIMEOUT_MS = 15_000;

type ErrorCode = "usage" | "no-card" | "device-unavailable" | "no-response" | "sam-failed" | "card-unreadable";

type Output = { readonly ok: true; readonly card: CardJson } | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly message: string } };

function print(io: CliIo, output: Output): number {
  io.out(`${JSON.stringify(output)}\n`);
  return output.ok ? EXIT.ok : EXIT.usage;
}

function fail(io: CliIo, code: ErrorCode, message: string): number {
  return print(io, { ok: false, error: { code, message } });
}

type Outcome =
  | { readonly kind: "card"; readonly card: CardJson }
  | { readonly kind: "error"; readonly code: ErrorCode; readonly message: string }
  | { readonly kind: "timeout" }
  | { readonly kind: "interrupted" };

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        hid: { type: "string" },
        baud: { type: "string" },
        "timeout-ms": { type: "string" },
        "wlt-library": { type: "string" },
        "wlt-symbol": { type: "string" },
        "wlt-arg": { type: "string" },
        "wlt-channel-order": { type: "string" },
        "wlt-top-down": { type: "boolean" },
      },
    }));
  } catch (error) {
    return fail(io, "usage", (error as Error).message);
  }
  if ((values.port === undefined) === (values.hid === undefined)) {
    return fail(io, "usage", "Give exactly one of --port DEV or --hid VID:PID");
  }
  let timeoutMs: number;
  let factory: TransportFactory;
  let photos: ChipPhotoDecoder;
  try {
    timeoutMs = wholeNumber(values["timeout-ms"], "--timeout-ms") ?? DEFAULT_TIMEOUT_MS;
    photos = photoDecoder(values, io.cwd);
    if (values.port !== undefined) {
      factory = serialReaderTransport({ path: resolve(io.cwd, values.port), baudRate: wholeNumber(values.baud, "--baud") ?? 115200 });
    } else {
      if (values.baud !== undefined) return fail(io, "usage", "--baud applies to --port only: a HID reader has no line speed");
      factory = hidReaderTransport({ vidPid: values.hid ?? "" });
    }
  } catch (error) {
    return fail(io, "usage", (error as Error).message);
  }

  const reader = new IdCardReader({ transportFactory: factory, clock: systemClock, log: silentLogger, deviceLostAfterMs: timeoutMs });
  const owner = {};
  let ready = false;
  let lastError: ReaderErrorEvent | undefined;
  const outcome = await new Promise<Outcome>((settle) => {
    // Real time: the user has this long to place a card.
    const timer = setTimeout(() => settle({ kind: "timeout" }), timeoutMs);
    const done = (result: Outcome): void => {
      clearTimeout(timer);
      settle(result);
    };
    io.signal.addEventListener("abort", () => done({ kind: "interrupted" }), { once: true });
    reader.on(owner, "reader-ready", () => {
      ready = true;
    });
    reader.on(owner, "card-read", (event) => {
      void describeCard(event.identity, photos).then((card) => done({ kind: "card", card }));
    });
    reader.on(owner, "reader-error", (event) => {
      lastError = event;
      // Before the reader ever answered, a missing or silent device will not fix itself in time.
      if (!ready && (event.code === "device-unavailable" || event.code === "no-response")) done({ kind: "error", code: event.code, message: event.message });
      else if (event.code === "sam-failed" || event.code === "card-unreadable") done({ kind: "error", code: event.code, message: event.message });
    });
    if (io.signal.aborted) done({ kind: "interrupted" });
    else void reader.start();
  });
  reader.off(owner);
  await reader.stop();

  switch (outcome.kind) {
    case "card":
      return print(io, { ok: true, card: outcome.card });
    case "error":
      return fail(io, outcome.code, outcome.message);
    case "timeout":
      return fail(
        io,
        "no-card",
        `No card was read within ${timeoutMs} ms${lastError ? `: last reader error "${lastError.code}": ${lastError.message}` : ready ? ": place a card on the reader" : ""}`,
      );
    case "interrupted":
      return EXIT.failure;
  }
}

interface PhotoFlags {
  readonly "wlt-library"?: string | undefined;
  readonly "wlt-symbol"?: string | undefined;
  readonly "wlt-arg"?: string | undefined;
  readonly "wlt-channel-order"?: string | undefined;
  readonly "wlt-top-down"?: boolean | undefined;
}

// Simulated cards' photos decode without help; WLT needs the vendor's library.
function photoDecoder(flags: PhotoFlags, cwd: string): ChipPhotoDecoder {
  const library = flags["wlt-library"];
  if (library === undefined) return new ChipPhotoDecoder({ image: new ImagePhotoDecoder() });
  const order = flags["wlt-channel-order"] ?? "bgr";
  if (order !== "rgb" && order !== "bgr") throw new RangeError(`Invalid --wlt-channel-order "${order}": expected rgb or bgr`);
  const arg = Number(flags["wlt-arg"] ?? "0");
  if (!Number.isInteger(arg)) throw new RangeError(`Invalid --wlt-arg "${flags["wlt-arg"]}": expected a whole number`);
  const wlt = new WltFfiDecoder(
    {
      libraryPath: resolve(cwd, library),
      ...(flags["wlt-symbol"] === undefined ? {} : { symbol: flags["wlt-symbol"] }),
      arg,
      channelOrder: order,
      bottomUp: flags["wlt-top-down"] !== true,
    },
    "--wlt-library",
  );
  return new ChipPhotoDecoder({ image: new ImagePhotoDecoder(), wlt });
}

// The card as JSON, with the decoded photo size or why it could not be decoded.
async function describeCard(identity: IdentityRecord, photos: ChipPhotoDecoder): Promise<CardJson> {
  const card = await identityToJson(identity);
  const decoded = await photos.decode(identity.photo.bytes).catch((error: Error) => ({
    ok: false as const,
    code: "photo-decoder-failed",
    message: error.message,
  }));
  const photo = decoded.ok
    ? { ...card.photo, width: decoded.photo.width, height: decoded.photo.height }
    : { ...card.photo, decodeError: { code: decoded.code, message: decoded.message } };
  return { ...card, photo };
}
