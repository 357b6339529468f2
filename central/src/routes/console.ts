import type { DeviceStatus } from "@kiosk/contracts";
import { Hono } from "hono";
import { html } from "hono/html";
import type { HeartbeatStore, KioskSeen } from "../store/heartbeat-store.ts";

/** Settings of the fleet console. */
export interface ConsoleOptions {
  /** A kiosk silent for longer is shown as offline. */
  readonly offlineAfterMs: number;
  /** Current time in epoch milliseconds. */
  readonly now: () => number;
}

// Kiosk clock drift beyond this is flagged: signatures and retention depend on time.
const SKEW_WARNING_S = 60;

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

function device(status: DeviceStatus) {
  return html`<span class="state ${status.state}" title="${status.detail ?? ""}">${status.kind}: ${status.state}</span>`;
}

function row(kiosk: KioskSeen, options: ConsoleOptions) {
  const silentMs = options.now() - Date.parse(kiosk.lastSeenAt);
  const online = silentMs <= options.offlineAfterMs;
  const skewS = Math.round((Date.parse(kiosk.sentAt) - Date.parse(kiosk.lastSeenAt)) / 1000);
  return html`<tr data-kiosk-id="${kiosk.kioskId}" class="${online ? "online" : "offline"}">
    <td class="kiosk-id">${kiosk.kioskId}</td>
    <td class="link">${online ? "在线 online" : "离线 offline"}</td>
    <td class="status ${kiosk.status}">${kiosk.status}</td>
    <td>${device(kiosk.devices.idcardReader)}</td>
    <td>${device(kiosk.devices.camera)}</td>
    <td>${kiosk.version}</td>
    <td class="last-seen" title="${kiosk.lastSeenAt}">${ago(silentMs)}</td>
    <td class="${Math.abs(skewS) > SKEW_WARNING_S ? "warn" : ""}">${skewS} s</td>
    <td>${kiosk.heartbeatCount}</td>
  </tr>`;
}

function page(kiosks: KioskSeen[], options: ConsoleOptions) {
  const online = kiosks.filter((k) => options.now() - Date.parse(k.lastSeenAt) <= options.offlineAfterMs).length;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>实名核验终端 · 中心 Fleet console</title>
<style>
  body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #1a1a1a; }
  h1 { font-size: 1.4rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
  th { background: #f3f3f3; }
  tr.offline { color: #8a1c1c; background: #fff3f3; }
  .status.ok, .state.ready { color: #17622e; }
  .status.degraded { color: #8a5a00; }
  .status.out-of-service, .state.error, .state.unavailable { color: #8a1c1c; font-weight: 600; }
  .warn { color: #8a5a00; font-weight: 600; }
  .empty { color: #555; }
</style>
</head>
<body>
<h1>实名核验终端 · 中心 <small>Fleet console</small></h1>
<p id="summary">${kiosks.length} 台终端 kiosks · ${online} 在线 online · ${kiosks.length - online} 离线 offline</p>
${kiosks.length === 0
  ? html`<p class="empty">尚无终端上报心跳。No kiosk has sent a heartbeat yet.</p>`
  : html`<table id="kiosks">
  <thead><tr><th>终端 Kiosk</th><th>连接 Link</th><th>状态 Status</th><th>读卡器 Reader</th><th>摄像头 Camera</th><th>版本 Version</th><th>上次心跳 Last seen</th><th>时钟偏差 Clock skew</th><th>心跳数 Heartbeats</th></tr></thead>
  <tbody>${kiosks.map((k) => row(k, options))}</tbody>
</table>`}
</body>
</html>`;
}

/** `GET /`: the fleet console, a page listing every kiosk and its latest heartbeat. */
export function consoleRoutes(store: HeartbeatStore, options: ConsoleOptions): Hono {
  const routes = new Hono();
  routes.get("/", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.html(page(await store.list(), options));
  });
  return routes;
}
