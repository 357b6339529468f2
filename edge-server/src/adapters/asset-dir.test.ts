import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssetDir } from "./asset-dir.ts";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "asset-dir-"));
  mkdirSync(join(root, "ui"));
  writeFileSync(join(root, "ui", "index.html"), "<html></html>");
  writeFileSync(join(root, "secret.txt"), "outside");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("AssetDir", () => {
  test("serves files with their content type", async () => {
    const asset = await new AssetDir(join(root, "ui")).get("/index.html");
    expect(asset?.contentType).toBe("text/html; charset=utf-8");
    expect(await new Response(asset?.body).text()).toBe("<html></html>");
  });

  test("refuses paths that leave the folder, encoded or not", async () => {
    const dir = new AssetDir(join(root, "ui"));
    expect(await dir.get("/../secret.txt")).toBeUndefined();
    expect(await dir.get("/%2e%2e/secret.txt")).toBeUndefined();
    expect(await dir.get("/%E0%A4%A")).toBeUndefined();
  });

  test("returns nothing for missing files", async () => {
    expect(await new AssetDir(join(root, "ui")).get("/missing.js")).toBeUndefined();
  });
});

describe("AssetDir on folders", () => {
  test("does not serve a folder as a file", async () => {
    expect(await new AssetDir(root).get("/ui")).toBeUndefined();
  });
});
