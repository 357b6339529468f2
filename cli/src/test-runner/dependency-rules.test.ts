import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDependencyRules } from "./dependency-rules.ts";

const ROOT = join(import.meta.dir, "..", "..", "..");
const SHARED_FILES = ["package.json", "tsconfig.json", "tsconfig.base.json", ".dependency-cruiser.cjs"];

// Recreates a node_modules folder of symlinks with the same (relative)
// targets, so workspace links resolve inside the copy.
function copyLinks(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const entry = join(from, name);
    if (lstatSync(entry).isSymbolicLink()) symlinkSync(readlinkSync(entry), join(to, name));
    else if (lstatSync(entry).isDirectory()) copyLinks(entry, join(to, name));
  }
}

// A copy of the repository's code (npm packages linked, not copied) where
// violations can be planted without touching the real tree.
let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "dep-rules-"));
  for (const file of SHARED_FILES) cpSync(join(ROOT, file), join(copy, file));
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  const workspaces = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
  for (const ws of workspaces) {
    cpSync(join(ROOT, ws), join(copy, ws), { recursive: true, filter: (src) => !src.includes("/node_modules") });
    copyLinks(join(ROOT, ws, "node_modules"), join(copy, ws, "node_modules"));
  }
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function plant(path: string, text: string): void {
  mkdirSync(join(copy, path, ".."), { recursive: true });
  writeFileSync(join(copy, path), text);
}

describe("dependency rules", () => {
  test("the repository's code passes", async () => {
    const result = await checkDependencyRules(copy);
    expect(result.output).toContain("no dependency violations found");
    expect(result.ok).toBe(true);
  }, 60_000);

  test("planted imports that break the rules make the check fail, naming each rule", async () => {
    plant("contracts/src/planted-a.ts", 'export { KioskError } from "../../device/src/transport/byte-transport.ts";\n');
    plant("device/src/idcard/protocol/planted-b.ts", 'import { readFileSync } from "node:fs";\nexport const b = readFileSync;\n');
    plant("central/src/planted-c.ts", 'export * from "../../edge-server/src/index.ts";\n');
    plant("edge-server/src/domain/planted-d.ts", 'export * from "../adapters/asset-dir.ts";\n');
    plant("cli/src/commands/planted-e.ts", 'export { FACE_FIXTURES } from "@kiosk/edge-server/testing";\n');
    const result = await checkDependencyRules(copy);
    expect(result.ok).toBe(false);
    for (const rule of [
      "contracts-imports-no-workspace",
      "no-deep-imports-across-workspaces",
      "protocol-imports-no-core-modules",
      "central-boundaries",
      "edge-domain-is-pure",
      "production-code-does-not-import-test-helpers",
    ]) {
      expect(result.output).toContain(rule);
    }
  }, 60_000);
});
