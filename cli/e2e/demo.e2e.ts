/**
 * `./kiosk demo` seen from a browser: the kiosk UI shell loads, the edge
 * server reports health as JSON, and central shows the kiosk's heartbeat.
 */
import { freePort } from "@kiosk/central/testing";
import { edgeHealthSchema } from "@kiosk/contracts";
import { a11yViolations } from "@kiosk/ui/testing";
import { expect, test as base } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessGroup } from "../src/testing/process-group.ts";

const ROOT = join(import.meta.dirname, "..", "..");

interface Demo {
  /** The demo and every process it started, in a process group of their own. */
  readonly group: ProcessGroup;
  readonly edgeUrl: string;
  readonly centralUrl: string;
}

// The demo runs as a fixture so that its whole process tree is stopped on
// every path: the test passing, failing or timing out, and the demo failing
// to start. Stopping never throws, so the test's own failure is the one reported.
const test = base.extend<{ demo: Demo }>({
  demo: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), "kiosk-demo-"));
    const [edgePort, centralPort] = [await freePort(), await freePort()];
    const group = ProcessGroup.start(join(ROOT, "kiosk"), ["demo", "--edge-port", String(edgePort), "--central-port", String(centralPort), "--data-dir", dataDir], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "" },
    });
    try {
      await expect.poll(() => group.output, { timeout: 45_000, message: "the demo prints its URLs" }).toContain("Press Ctrl-C to stop.");
      const edgeUrl = group.output.match(/Kiosk UI:\s+(\S+)\//)?.[1];
      const centralUrl = group.output.match(/Central console:\s+(\S+)\//)?.[1];
      if (!edgeUrl || !centralUrl) throw new Error(`Cannot find the URLs in the demo's output:\n${group.output}`);
      await use({ group, edgeUrl, centralUrl });
    } finally {
      await group.stop();
      await testInfo.attach("demo output", { body: group.output, contentType: "text/plain" });
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

test("the demo serves the UI shell and health, and central shows the kiosk's heartbeat", async ({ page, request, demo }) => {
  await page.goto(`${demo.edgeUrl}/`);
  await expect(page.getByRole("heading", { name: "实名核验自助终端" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible();
  await expect(page.getByText("终端编号 demo-hall-01-k01")).toBeVisible();
  expect(await a11yViolations(page), "axe-core on the UI the edge server serves").toEqual([]);

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

  // Ctrl-C (SIGINT to the whole group, as a terminal sends it) stops the
  // demo and every process it started in order, without a kill.
  expect(demo.group.running().length, "the demo, central and the kiosk run as processes").toBeGreaterThanOrEqual(3);
  const exit = await demo.group.stop();
  expect(exit, demo.group.output).toEqual({ code: 0, signal: null, killed: 0 });
  expect(demo.group.output).toContain("Demo stopped.");
  expect(demo.group.running()).toEqual([]);
  await expect(request.get(`${demo.edgeUrl}/api/health`)).rejects.toThrow();
  await expect(request.get(`${demo.centralUrl}/api/health`)).rejects.toThrow();
});
