/**
 * `./kiosk voice list`: prints every voice prompt as one JSON line
 * `{"key","zh","en"}`, in the order of the session's prompt keys: what to
 * record when replacing the generated clips (save as
 * `<voice.recordingsDir>/<lang>/<key>.ogg|.opus|.mp3|.wav`).
 */
import { SESSION_PROMPT_KEYS, VOICE_PROMPTS } from "@kiosk/contracts";
import { EXIT, type CliIo } from "../io.ts";

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.err(`Unexpected argument "${args[0]}": ./kiosk voice list takes none\n`);
    return EXIT.usage;
  }
  for (const key of SESSION_PROMPT_KEYS) io.out(`${JSON.stringify({ key, ...VOICE_PROMPTS[key] })}\n`);
  return EXIT.ok;
}
