/**
 * `./kiosk demo` seen from a browser: the kiosk UI shell loads, the edge
 * server reports health as JSON, and central shows the kiosk's heartbeat.
 */
import { freePort } from "@kiosk/central/testing";
import { edgeHealthSchema } from "@kiosk/contracts";
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

interface Demo {
  readonly proc: ChildProcess;
  readonly edgeUrl: string;
  readonly centralUrl: string;
  readonly output: () => string;
}

async function startDemo(dataDir: string): Promise<Demo> {
  const [edgePort, centralPort] = [await freePort(), await freePort()];
  const proc = spawn(join(ROOT, "kiosk"), ["demo", "--edge-port", String(edgePort), "--central-port", String(centralPort), "--data-dir", dataDir], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 45_000, message: "the demo prints its URLs" }).toContain("Press Ctrl-C to stop.");
  const edgeUrl = output.match(/Kiosk UI:\s+(\S+)\//)?.[1];
  const centralUrl = output.match(/Central console:\s+(\S+)\//)?.[1];
  if (!edgeUrl || !centralUrl) throw new Error(`Cannot find the URLs in the demo's output:\n${output}`);
  return { proc, edgeUrl, centralUrl, output: () => output };
}

test("the demo serves the UI shell and health, and central shows the kiosk's heartbeat", async ({ page, request }) => {
  const dataDir = mkdtempSync(join(tmpdir(), "kiosk-demo-"));
  const demo = await startDemo(dataDir);
  try {
    await page.goto(`${demo.edgeUrl}/`);
    await expect(page.getByRole("heading", { name: "实名核验自助终端" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible();
    await expect(page.getByText("终端编号 demo-hall-01-k01")).toBeVisible();

    const res = await request.get(`${demo.edgeUrl}/api/health`);
    expect(res.status()).toBe(200);
    const health = edgeHealthSchema.parse(await res.json());
    expect(health).toMatchObject({ service: "edge", kioskId: "demo-hall-01-k01", status: "ok" });
    expect(health.devices.idcardReader.state).toBe("ready");
    expect(health.face?.workers, "the face engine runs its workers").toBeGreaterThan(0);
    expect(health.face?.model).toMatch(/^face-api-recognition@/);

    await page.goto(`${demo.centralUrl}/`);
    const row = page.locator('tr[data-kiosk-id="demo-hall-01-k01"]');
    await expect(row).toBeVisible();
    await expect(row).toContainText("在线 online");
    // The first heartbeat may go out while the devices are still starting; the
    // next one (5 s later) and the console's 5 s refresh show the kiosk ok.
    await expect(row.locator(".status")).toHaveText("ok", { timeout: 20_000 });
  } finally {
    demo.proc.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => demo.proc.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
    expect(code, demo.output()).toBe(0);
    expect(demo.output()).toContain("Demo stopped.");
  }
  await expect(request.get(`${demo.edgeUrl}/api/health`)).rejects.toThrow();
  await expect(request.get(`${demo.centralUrl}/api/health`)).rejects.toThrow();
});
