/**
 * `./kiosk idcard decode FILE`: decodes one captured reply to `30 01` /
 * `30 10` and prints the card as one JSON object.
 *
 * FILE holds hex text (whitespace ignored) or, when it is not hex text, the
 * raw bytes of one whole reply frame. Output on stdout, one line:
 * `{"ok":true,"card":{…}}` with exit 0, or `{"ok":false,"error":{"code","message"}}`
 * with exit 2 (bad frame, status not 90, unreadable file, bad usage).
 */
import { decodeCardReplyJson, hexOrRawBytes, type CardReplyJson } from "@kiosk/device";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { EXIT, type CliIo } from "../io.ts";

/** Error codes this command adds to those of the decoder. */
type CommandErrorCode = "usage" | "file-not-found" | "file-unreadable";

type Output = CardReplyJson | { readonly ok: false; readonly error: { readonly code: CommandErrorCode; readonly message: string } };

function print(io: CliIo, output: Output): number {
  io.out(`${JSON.stringify(output)}\n`);
  return output.ok ? EXIT.ok : EXIT.usage;
}

function fail(io: CliIo, code: CommandErrorCode, message: string): number {
  return print(io, { ok: false, error: { code, message } });
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] === undefined || args[0].startsWith("-")) {
    return fail(io, "usage", `Expected exactly one argument FILE: got ${args.length}`);
  }
  const file = args[0];
  let content: Uint8Array;
  try {
    content = await readFile(resolve(io.cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT") return fail(io, "file-not-found", `Cannot read "${file}": no such file`);
    return fail(io, "file-unreadable", `Cannot read "${file}": ${code ?? "unknown error"}`);
  }
  return print(io, await decodeCardReplyJson(hexOrRawBytes(content)));
}
