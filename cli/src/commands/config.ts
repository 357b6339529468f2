import type { ConfigField } from "@kiosk/contracts";
import { centralConfigFields } from "@kiosk/central";
import { edgeConfigFields } from "@kiosk/edge-server";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";

/** The services whose settings can be listed. */
export const SERVICES: Readonly<Record<string, () => ConfigField[]>> = {
  edge: edgeConfigFields,
  central: centralConfigFields,
};

function shown(field: ConfigField): string {
  if (field.defaultValue === undefined) return field.required ? "(required)" : "(unset)";
  return JSON.stringify(field.defaultValue);
}

// A "|" inside a table cell would end the cell.
const cell = (text: string): string => text.replaceAll("|", "\\|");

/** The settings of service `name` as the markdown table the README carries. */
export function configMarkdown(name: string, fields: ConfigField[]): string {
  const rows = fields.map(
    (f) => `| \`${f.key}\` | \`${f.env}\` | ${cell(f.type)} | \`${cell(shown(f))}\` | ${cell(f.description)}${f.secret ? " (secret)" : ""} |`,
  );
  return [`### ${name}`, "", "| key | environment variable | type | default | meaning |", "|---|---|---|---|---|", ...rows, ""].join("\n");
}

function plain(name: string, fields: ConfigField[]): string {
  const lines = fields.map((f) => `  ${f.env.padEnd(44)} ${shown(f).padEnd(26)} ${f.description}${f.secret ? " (secret)" : ""}`);
  return [`${name}:`, ...lines, ""].join("\n");
}

/** `./kiosk config [edge|central] [--markdown]`: lists every setting. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { markdown: { type: "boolean" } } });
  const names = positionals.length > 0 ? positionals : Object.keys(SERVICES);
  for (const name of names) {
    const fields = SERVICES[name];
    if (!fields) {
      io.err(`Unknown service "${name}": choose edge or central\n`);
      return EXIT.usage;
    }
    io.out(values.markdown ? configMarkdown(name, fields()) : plain(name, fields()));
  }
  return EXIT.ok;
}
