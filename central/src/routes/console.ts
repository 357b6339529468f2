import type { DeviceStatus } from "@kiosk/contracts";
import { Hono } from "hono";
import { html } from "hono/html";
import type { HeartbeatStore, KioskSeen } from "../store/heartbeat-store.ts";
import type { IngestStore, IntegrityAlarm, KioskIngestProgress } from "../store/ingest-store.ts";

// Alarms listed on the page; the per-kiosk count covers all of them.
const ALARMS_SHOWN = 20;

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

function ingestRow(p: KioskIngestProgress, options: ConsoleOptions) {
  const behind = p.missingCount > 0 || p.maxSeq > p.ackThrough;
  return html`<tr data-ingest-kiosk-id="${p.kioskId}" data-epoch="${p.epoch}">
    <td class="kiosk-id">${p.kioskId}</td>
    <td>${p.epoch}</td>
    <td class="ack-through">${p.ackThrough}</td>
    <td>${p.maxSeq}</td>
    <td class="missing ${behind ? "warn" : ""}">${p.missingCount}</td>
    <td>${p.acceptedCount}</td>
    <td class="${p.rejectedCount > 0 ? "warn" : ""}">${p.rejectedCount}</td>
    <td>${p.duplicateCount}</td>
    <td title="${p.lastBatchAt}">${ago(options.now() - Date.parse(p.lastBatchAt))}</td>
    <td class="alarms ${p.alarmCount > 0 ? "alarm" : ""}">${p.alarmCount}</td>
  </tr>`;
}

function alarmItem(a: IntegrityAlarm) {
  return html`<li class="alarm" data-alarm-kind="${a.kind}"><b>${a.kind}</b> ${a.kioskId} · epoch ${a.epoch} · seq ${a.seq} · ${a.raisedAt}: ${a.detail}</li>`;
}

function ingestSection(progress: KioskIngestProgress[], alarms: IntegrityAlarm[], options: ConsoleOptions) {
  return html`<h2>数据上传 <small>Store-and-forward</small></h2>
${progress.length === 0
  ? html`<p class="empty">尚无终端上传核验结果。No kiosk has sent results yet.</p>`
  : html`<table id="ingest">
  <thead><tr><th>终端 Kiosk</th><th>Epoch</th><th>已确认 ackThrough</th><th>最高序号 Highest seq</th><th>缺失 Missing</th><th>接收 Accepted</th><th>拒收 Rejected</th><th>重复 Duplicates</th><th>上次上传 Last batch</th><th>告警 Alarms</th></tr></thead>
  <tbody>${progress.map((p) => ingestRow(p, options))}</tbody>
</table>`}
<h2>完整性告警 <small>Integrity alarms</small></h2>
${alarms.length === 0 ? html`<p class="empty" id="no-alarms">无告警。No integrity alarms.</p>` : html`<ul id="alarms">${alarms.map(alarmItem)}</ul>`}`;
}

function page(kiosks: KioskSeen[], options: ConsoleOptions, ingest: ReturnType<typeof ingestSection>) {
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
  h2 { font-size: 1.15rem; margin-top: 2rem; }
  .alarm { color: #8a1c1c; font-weight: 600; }
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
${ingest}
</body>
</html>`;
}

/**
 * `GET /`: the fleet console, a page listing every kiosk and its latest
 * heartbeat, then store-and-forward progress (ackThrough, missing seqs) and
 * the latest integrity alarms.
 */
export function consoleRoutes(store: HeartbeatStore, ingest: IngestStore, options: ConsoleOptions): Hono {
  const routes = new Hono();
  routes.get("/", async (c) => {
    c.header("Cache-Control", "no-store");
    const [kiosks, progress, alarms] = await Promise.all([store.list(), ingest.progress(), ingest.recentAlarms(ALARMS_SHOWN)]);
    return c.html(page(kiosks, options, ingestSection(progress, alarms, options)));
  });
  return routes;
}
