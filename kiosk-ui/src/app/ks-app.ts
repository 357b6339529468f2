import { DEVICE_STATES, KIOSK_STATUSES, SOFTWARE_VERSION, type EdgeHealth } from "@kiosk/contracts";
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import "../components/ks-lang-toggle.ts";
import "../components/ks-status-bar.ts";
import type { CentralConnection } from "../components/ks-status-bar.ts";
import { HealthController } from "../controllers/health-controller.ts";
import { LockdownController } from "../controllers/lockdown-controller.ts";
import { fetchHealth } from "../data/health.ts";
import { htmlLang, t, type Lang } from "../i18n.ts";
import "../screens/ks-screen-insert-card.ts";
import "../screens/ks-screen-out-of-service.ts";
import type { OutOfServiceReason } from "../screens/ks-screen-out-of-service.ts";
import { tokens } from "../styles/tokens.ts";
import { reloadOnNewVersion, type ReloadEnv } from "./reload-on-new-version.ts";

/**
 * Time between health polls. A service that stops answering is noticed within
 * this plus `HEALTH_TIMEOUT_MS` (7 s), so the applicant is sent to a staff
 * window within 10 s.
 */
const HEALTH_POLL_MS = 3_000;

// The tab's storage outlives a reload; a page built as this version reloads once per other served version.
const RELOAD_ENV: ReloadEnv = { uiVersion: SOFTWARE_VERSION, memory: sessionStorage, reload: () => location.reload() };

// Unknown while the kiosk's own service is starting or not answering: "working offline" would be untrue then.
function centralConnection(health: EdgeHealth | undefined, reachable: boolean): CentralConnection {
  if (!health || !reachable) return "unknown";
  return health.central.consecutiveFailures === 0 ? "online" : "offline";
}

function outOfServiceReason(health: EdgeHealth | undefined, reachable: boolean): OutOfServiceReason | undefined {
  if (!reachable) return "server";
  if (!health || health.status !== KIOSK_STATUSES.outOfService) return undefined;
  return health.devices.idcardReader.state !== DEVICE_STATES.ready ? "reader" : "camera";
}

/** The kiosk UI shell: header, the current step, and the status bar. */
@customElement("ks-app")
export class KsApp extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr auto;
        height: 100vh;
        background: var(--ks-color-page);
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--ks-space);
        padding: 16px var(--ks-space);
        background: var(--ks-color-brand);
        color: var(--ks-color-brand-ink);
      }
      header h1 {
        margin: 0;
        font-size: 32px;
      }
      header p {
        margin: 4px 0 0;
        font-size: var(--ks-text-small);
      }
      main {
        /* A screen taller than the display still scrolls by touch, without a scrollbar. */
        overflow: auto;
        overscroll-behavior: contain;
        scrollbar-width: none;
      }
      .starting {
        display: grid;
        place-items: center;
        height: 100%;
        font-size: var(--ks-text-title);
      }
    `,
  ];

  @state() private accessor _lang: Lang = "zh";
  private readonly _health = new HealthController(this, {
    fetchHealth,
    intervalMs: HEALTH_POLL_MS,
    onHealth: (health) => reloadOnNewVersion(health.version, RELOAD_ENV),
  });
  private readonly _lockdown = new LockdownController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("ks-lang-change", (event) => {
      this._lang = event.detail.lang;
      document.documentElement.lang = htmlLang(this._lang);
    });
  }

  override render() {
    const { health, reachable } = this._health;
    const lang = this._lang;
    return html`
      <header>
        <div>
          <h1>${t(lang, "app.title")}</h1>
          <p>${t(lang, "app.subtitle")}</p>
        </div>
        <ks-lang-toggle .locale=${lang}></ks-lang-toggle>
      </header>
      <main aria-live="polite">${this._screen(health, reachable)}</main>
      <footer>
        <ks-status-bar .locale=${lang} kiosk-id=${health?.kioskId ?? ""} connection=${centralConnection(health, reachable)}></ks-status-bar>
      </footer>
    `;
  }

  private _screen(health: EdgeHealth | undefined, reachable: boolean) {
    const reason = outOfServiceReason(health, reachable);
    if (reason) return html`<ks-screen-out-of-service .locale=${this._lang} reason=${reason}></ks-screen-out-of-service>`;
    if (!health) return html`<div class="starting" role="status">${t(this._lang, "starting.title")}</div>`;
    return html`<ks-screen-insert-card .locale=${this._lang}></ks-screen-insert-card>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-app": KsApp;
  }
}
