import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "main.ts");

// Runs `./kiosk <service>` as a real process with the given environment.
async function start(service: string, env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, CLI, service], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { code, stderr };
}

describe("services refuse an invalid config at start", () => {
  test("edge with port abc exits 2 naming the key and its variable", async () => {
    const { code, stderr } = await start("edge", { KIOSK_EDGE_KIOSK_ID: "k-test-1", KIOSK_EDGE_HTTP_PORT: "abc" });
    expect(code).toBe(2);
    expect(stderr).toContain('http.port (env KIOSK_EDGE_HTTP_PORT): expected number, got "abc"');
    expect(stderr).not.toContain("    at ");
  });

  test("central lists every problem at once and never prints the database URL", async () => {
    const { code, stderr } = await start("central", { KIOSK_CENTRAL_HTTP_PORT: "99999", DATABASE_URL: "mysql://user:pw@db/x" });
    expect(code).toBe(2);
    expect(stderr).toContain("2 problems");
    expect(stderr).toContain("http.port (env KIOSK_CENTRAL_HTTP_PORT)");
    expect(stderr).toContain("database.url (env DATABASE_URL)");
    expect(stderr).not.toContain("pw@db");
  });

  test("edge without a kiosk id says it is required", async () => {
    const { code, stderr } = await start("edge", {});
    expect(code).toBe(2);
    expect(stderr).toContain("kioskId (env KIOSK_EDGE_KIOSK_ID)");
  });
});
