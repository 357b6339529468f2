import { isSessionPromptKey, type SessionLanguage, type SessionPromptKey } from "@kiosk/contracts";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { VoicePromptController } from "../controllers/voice-prompt-controller.ts";
import { htmlLang } from "../localization/locale.ts";
import { tokens } from "../styles/tokens.ts";
import { playWithAudioElement } from "../voice/audio-element-player.ts";

// A speaker drawn as SVG: the kiosk's fonts have no emoji.
const SPEAKER = html`<svg viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor">
  <path d="M3 9h4l5-4v14l-5-4H3z" />
  <path d="M15.5 8.5a5 5 0 0 1 0 7M18 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
</svg>`;

/**
 * Speaks a step's voice prompt and shows its caption, the exact words
 * spoken. Changing `prompt` or `locale` stops the clip playing and starts the
 * new one; removing the element stops it. The caption shows whether or not
 * the clip can play. `state` is reflected as an attribute for styling and tests.
 */
@customElement("ks-voice-prompt")
export class KsVoicePrompt extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      p {
        margin: 0;
        font-size: var(--ks-text-body);
        line-height: 1.4;
      }
      .speaker {
        margin-inline-end: 0.4em;
      }
    `,
  ];

  /** The prompt of the current step, or none. */
  @property() accessor prompt: SessionPromptKey | undefined;
  @property() accessor locale: SessionLanguage = "zh";
  /** Where the clip is: see `VoicePromptState`. Read-only. */
  @property({ reflect: true }) accessor state = "idle";

  readonly #voice = new VoicePromptController(this, { player: playWithAudioElement });

  override willUpdate(): void {
    // The attribute can hold any text; only catalogue keys are spoken.
    if (this.prompt && isSessionPromptKey(this.prompt)) this.#voice.say(this.prompt, this.locale);
    else this.#voice.clear();
    this.state = this.#voice.state;
  }

  override render() {
    const shown = this.#voice.prompt;
    if (!shown) return nothing;
    return html`<p lang=${htmlLang(shown.lang)}><span class="speaker" aria-hidden="true">${SPEAKER}</span>${shown.caption}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-voice-prompt": KsVoicePrompt;
  }
}
