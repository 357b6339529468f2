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
 */
import {
  IdCardReader,
  hidReaderTransport,
  identityToJson,
  serialReaderTransport,
  type CardJson,
  type ReaderErrorEvent,
  type TransportFactory,
} from "@kiosk/device";
import { silentLogger, systemClock } from "@kiosk/contracts";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";

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

function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Invalid ${flag} "${value}": expected a positive whole number`);
  return n;
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
      options: { port: { type: "string" }, hid: { type: "string" }, baud: { type: "string" }, "timeout-ms": { type: "string" } },
    }));
  } catch (error) {
    return fail(io, "usage", (error as Error).message);
  }
  if ((values.port === undefined) === (values.hid === undefined)) {
    return fail(io, "usage", "Give exactly one of --port DEV or --hid VID:PID");
  }
  let timeoutMs: number;
  let factory: TransportFactory;
  try {
    timeoutMs = wholeNumber(values["timeout-ms"], "--timeout-ms", DEFAULT_TIMEOUT_MS);
    if (values.port !== undefined) {
      factory = serialReaderTransport({ path: resolve(io.cwd, values.port), baudRate: wholeNumber(values.baud, "--baud", 115200) });
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
      void identityToJson(event.identity).then((card) => done({ kind: "card", card }));
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
