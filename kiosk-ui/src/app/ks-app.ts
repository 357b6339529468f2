import { SESSION_PHASES, SOFTWARE_VERSION, type EdgeHealth, type SessionLanguage, type SessionPhase, type SessionStep, type SessionView } from "@kiosk/contracts";
import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import "../components/ks-countdown-banner.ts";
import "../components/ks-lang-toggle.ts";
import "../components/ks-status-bar.ts";
import type { CentralConnection } from "../components/ks-status-bar.ts";
import "../components/ks-step-indicator.ts";
import "../components/ks-voice-prompt.ts";
import { CameraPreviewController } from "../controllers/camera-preview-controller.ts";
import { CountdownController } from "../controllers/countdown-controller.ts";
import { HealthController } from "../controllers/health-controller.ts";
import { LockdownController } from "../controllers/lockdown-controller.ts";
import { SessionController } from "../controllers/session-controller.ts";
import { fetchHealth } from "../data/health.ts";
import { openPreviewStream, openSessionStream, sendApplicantEvent, sendSignature } from "../data/session.ts";
import { showLanguage } from "../localization/locale.ts";
import { phaseText } from "../localization/texts.ts";
import "../screens/ks-screen-consent.ts";
import "../screens/ks-screen-face-retry.ts";
import "../screens/ks-screen-face.ts";
import "../screens/ks-screen-idle.ts";
import "../screens/ks-screen-language.ts";
import "../screens/ks-screen-matters.ts";
import "../screens/ks-screen-out-of-service.ts";
import "../screens/ks-screen-place-card.ts";
import "../screens/ks-screen-reading.ts";
import "../screens/ks-screen-result.ts";
import "../screens/ks-screen-saving.ts";
import "../screens/ks-screen-signature.ts";
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

// Steps of a running session, where the applicant may start over.
const START_OVER_STEPS: ReadonlySet<SessionStep> = new Set(["language", "consent", "place-card", "reading", "face", "face-retry", "matters", "signature"]);

// Unknown while the kiosk's own service is starting or not answering: "working offline" would be untrue then.
function centralConnection(health: EdgeHealth | undefined, reachable: boolean): CentralConnection {
  if (!health || !reachable) return "unknown";
  return health.central.consecutiveFailures === 0 ? "online" : "offline";
}

// Read out by screen readers on every change of phase (the live region above the caption).
function stepAnnouncement(index: number, count: number): string {
  const phase = phaseText((Object.keys(SESSION_PHASES) as SessionPhase[])[index - 1] ?? "result");
  return msg(str`第 ${index} 步，共 ${count} 步：${phase}`, { id: "app.step-announcement" });
}

/**
 * The kiosk UI shell: renders the session view the edge server pushes, one
 * screen element per step (`ks-screen-<step>`), with the step indicator, the
 * idle countdown, "start over", the voice prompt's caption and the status
 * bar; forwards every touch to the edge server. It decides nothing itself.
 * `data-step` tells the step shown (`unreachable` when the edge server does
 * not answer).
 */
@localized()
@customElement("ks-app")
export class KsApp extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: grid;
        grid-template-rows: auto auto auto 1fr auto auto auto;
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
      .announce {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
        font-size: var(--ks-text-body);
      }
      .caption {
        padding: 8px var(--ks-space);
        text-align: center;
      }
      .start-over {
        display: flex;
        justify-content: center;
        padding: 8px var(--ks-space);
      }
      .start-over button {
        min-width: 280px;
        min-height: 72px;
        font: inherit;
        font-size: var(--ks-text-body);
        color: var(--ks-color-ink);
        background: var(--ks-color-surface);
        border: 2px solid var(--ks-color-muted);
        border-radius: var(--ks-radius);
        cursor: pointer;
      }
      .start-over button:focus-visible {
        outline: 6px solid var(--ks-color-focus);
        outline-offset: 4px;
      }
    `,
  ];

  private readonly _health = new HealthController(this, {
    fetchHealth,
    intervalMs: HEALTH_POLL_MS,
    onHealth: (health) => reloadOnNewVersion(health.version, RELOAD_ENV),
  });
  private readonly _session = new SessionController(this, { openStream: openSessionStream, sendEvent: sendApplicantEvent, sendSignature });
  private readonly _countdown = new CountdownController(this);
  private readonly _preview = new CameraPreviewController(this, openPreviewStream);
  private readonly _lockdown = new LockdownController(this);
  #language: SessionLanguage = "zh";

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("ks-applicant-event", (event) => {
      // Without a session (starting, or the edge server not answering) the language button still switches the screen.
      if (!this.#view() && event.detail.type === "set-language") this.#show(event.detail.language);
      else void this._session.send(event.detail);
    });
    this.addEventListener("ks-signature", (event) => void this._session.sign(event.detail));
  }

  override willUpdate(): void {
    const view = this.#view();
    // Without a view the screen keeps the language it had.
    if (view) this.#show(view.language);
    this._countdown.show(view?.countdown ?? null);
    this._preview.follow(view?.step === "face");
  }

  override updated(): void {
    this.dataset["step"] = this._health.reachable ? (this.#view()?.step ?? "starting") : "unreachable";
  }

  override render() {
    const { health, reachable } = this._health;
    const view = this.#view();
    const countdown = this._countdown.current;
    const prompt = this._session.prompt;
    return html`
      <header>
        <div>
          <h1>${msg("实名核验自助终端", { id: "app.title" })}</h1>
          <p>${msg("企业登记实名认证", { id: "app.subtitle" })}</p>
        </div>
        <ks-lang-toggle .language=${this.#language}></ks-lang-toggle>
      </header>
      ${view?.phaseIndex ? html`<ks-step-indicator
            .index=${view.phaseIndex}
            .count=${view.phaseCount}
            .passed=${view.step !== "result" || view.kind === "verified"}
          ></ks-step-indicator>` : html`<div></div>`}
      ${countdown ? html`<ks-countdown-banner .secondsLeft=${countdown.secondsLeft} .warning=${countdown.warning}></ks-countdown-banner>` : html`<div></div>`}
      <main>${this.#screen(view)}</main>
      <p class="announce" role="status" data-announce>${view?.phaseIndex ? stepAnnouncement(view.phaseIndex, view.phaseCount) : nothing}</p>
      <div class="caption" role="status" aria-live="polite">
        ${prompt ? html`<ks-voice-prompt prompt=${prompt.key} locale=${prompt.language}></ks-voice-prompt>` : nothing}
      </div>
      ${view && START_OVER_STEPS.has(view.step)
        ? html`<div class="start-over">
            <button type="button" data-event="start-over" @click=${() => void this._session.send({ type: "start-over" })}>
              <span aria-hidden="true">↺ </span>${msg("重新开始", { id: "app.start-over" })}
            </button>
          </div>`
        : html`<div></div>`}
      <footer>
        <ks-status-bar kiosk-id=${health?.kioskId ?? ""} connection=${centralConnection(health, reachable)}></ks-status-bar>
      </footer>
    `;
  }

  #show(language: SessionLanguage): void {
    if (language === this.#language) return;
    this.#language = language;
    void showLanguage(language);
    this.requestUpdate();
  }

  // The view to show: none while the edge server does not answer.
  #view(): SessionView | undefined {
    return this._health.reachable ? this._session.view : undefined;
  }

  #screen(view: SessionView | undefined) {
    if (!this._health.reachable) return html`<ks-screen-out-of-service .faults=${["server"]}></ks-screen-out-of-service>`;
    if (!view) return html`<div class="starting" role="status">${msg("正在启动，请稍候", { id: "app.starting" })}</div>`;
    const lang = this.#language;
    switch (view.step) {
      case "idle":
        return html`<ks-screen-idle></ks-screen-idle>`;
      case "language":
        return html`<ks-screen-language></ks-screen-language>`;
      case "consent":
        return html`<ks-screen-consent></ks-screen-consent>`;
      case "place-card":
        return html`<ks-screen-place-card .view=${view} .language=${lang}></ks-screen-place-card>`;
      case "reading":
        return html`<ks-screen-reading></ks-screen-reading>`;
      case "face":
        return html`<ks-screen-face .view=${view} .frame=${this._preview.frame} .language=${lang}></ks-screen-face>`;
      case "face-retry":
        return html`<ks-screen-face-retry .view=${view} .language=${lang}></ks-screen-face-retry>`;
      case "matters":
        return html`<ks-screen-matters .view=${view}></ks-screen-matters>`;
      case "signature":
        return html`<ks-screen-signature .view=${view}></ks-screen-signature>`;
      case "saving":
        return html`<ks-screen-saving></ks-screen-saving>`;
      case "result":
        return html`<ks-screen-result .view=${view} .language=${lang}></ks-screen-result>`;
      case "out-of-service":
        return html`<ks-screen-out-of-service .faults=${view.faults}></ks-screen-out-of-service>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-app": KsApp;
  }
}
