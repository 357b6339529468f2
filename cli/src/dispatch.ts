import type { CommandEntry } from "./command.ts";
import { EXIT, type CliIo } from "./io.ts";

function usageLine(entry: CommandEntry): string {
  return [...entry.words, entry.args].filter(Boolean).join(" ");
}

/** The text of `./kiosk help`: one line per subcommand. */
export function helpText(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => usageLine(c).length), 4);
  const lines = commands.map((c) => `  ${usageLine(c).padEnd(width)}  ${c.summary}`);
  return ["Usage: ./kiosk <command> [options]", "", "Commands:", `  ${"help".padEnd(width)}  show this list`, ...lines, ""].join("\n");
}

// The longest run of words that names a command wins, so `bench idcard` and
// `bench face` can be separate commands.
function findCommand(commands: readonly CommandEntry[], argv: readonly string[]): CommandEntry | undefined {
  let best: CommandEntry | undefined;
  for (const entry of commands) {
    const matches = entry.words.every((word, i) => argv[i] === word);
    if (matches && (!best || entry.words.length > best.words.length)) best = entry;
  }
  return best;
}

/** Runs the subcommand named by `argv`; resolves to the process exit code. */
export async function dispatch(commands: readonly CommandEntry[], argv: readonly string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === "help" || first === "--help" || first === "-h") {
    io.out(helpText(commands));
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = findCommand(commands, argv);
  if (!entry) {
    const group = commands.filter((c) => c.words[0] === first);
    if (group.length > 0) {
      io.err(`Unknown "${first}" command "${argv.slice(1).join(" ")}": choose one of\n${helpText(group)}`);
    } else {
      io.err(`Unknown command "${first}": run "./kiosk help" for the list\n`);
    }
    return EXIT.usage;
  }
  const module = await entry.load();
  return module.run(argv.slice(entry.words.length), io);
}
