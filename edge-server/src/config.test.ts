import { describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import { isLoopbackUrl, loadEdgeConfig } from "./config.ts";

function load(env: Record<string, string>) {
  return loadEdgeConfig({ KIOSK_EDGE_KIOSK_ID: "hall-7-k1", ...env });
}

function problem(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (isKioskError(error, "config-invalid")) return error.message;
    throw error;
  }
  throw new Error("the config was accepted");
}

describe("central.url and central.caFile", () => {
  test("plain http:// to a host that is not loopback is refused at load, saying what to do", () => {
    const message = problem({ KIOSK_EDGE_CENTRAL_URL: "http://central.hall.example:8700" });
    expect(message).toContain("central.url (env KIOSK_EDGE_CENTRAL_URL)");
    expect(message).toContain("plain http:// is allowed only to a loopback address");
    expect(message).toContain("use https:// with central.caFile");
    expect(problem({ KIOSK_EDGE_CENTRAL_URL: "http://10.0.0.5:8700" })).toContain("loopback");
    expect(problem({ KIOSK_EDGE_CENTRAL_URL: "http://127.example.com" })).toContain("loopback");
  });

  test("https:// needs the CA file the kiosk trusts", () => {
    const message = problem({ KIOSK_EDGE_CENTRAL_URL: "https://central.hall.example" });
    expect(message).toContain("central.caFile (env KIOSK_EDGE_CENTRAL_CA_FILE)");
    expect(message).toContain("required for an https:// central url");
    const config = load({ KIOSK_EDGE_CENTRAL_URL: "https://central.hall.example", KIOSK_EDGE_CENTRAL_CA_FILE: "/etc/kiosk/central-ca.pem" });
    expect(config.central).toMatchObject({ url: "https://central.hall.example", caFile: "/etc/kiosk/central-ca.pem" });
  });

  test("plain http:// to a loopback address stays allowed (demo, tests)", () => {
    expect(load({}).central.url).toBe("http://127.0.0.1:8700");
    for (const url of ["http://127.0.0.1:9", "http://127.1.2.3:80", "http://localhost:8700", "http://[::1]:8700"]) {
      expect(load({ KIOSK_EDGE_CENTRAL_URL: url }).central.url).toBe(url);
      expect(isLoopbackUrl(url)).toBe(true);
    }
    expect(isLoopbackUrl("http://128.0.0.1")).toBe(false);
  });
});
