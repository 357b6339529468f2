/**
 * The README's references are kept true: every command of the dispatcher
 * and every setting of every service appear in it as the code defines them.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configMarkdown, SERVICES } from "./commands/config.ts";
import { COMMANDS } from "./commands/index.ts";

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe("README", () => {
  const commands = section("Command reference");
  for (const command of COMMANDS) {
    const usage = ["./kiosk", ...command.words, ...(command.args ? [command.args] : [])].join(" ");
    test(`the command reference shows "${usage}"`, () => {
      expect(commands).toContain(usage);
    });
  }

  const configuration = section("Configuration reference");
  for (const [name, fields] of Object.entries(SERVICES)) {
    test(`the configuration reference has the ${name} table of ./kiosk config --markdown`, () => {
      expect(configuration).toContain(configMarkdown(name, fields()).trim());
    });
  }
});
