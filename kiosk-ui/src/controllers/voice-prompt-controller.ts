import { voiceCaption, type SessionPromptKey, type SessionLanguage } from "@kiosk/contracts";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { voicePromptUrl } from "../data/voice.ts";
import { isAutoplayBlocked, type PromptPlayback, type PromptPlayer } from "../voice/prompt-player.ts";

/**
 * Where the current prompt's clip is:
 * - `idle`: no prompt;
 * - `playing`: the clip is playing;
 * - `played`: it played to its end;
 * - `blocked`: the browser refused to play before a touch (the caption is still shown);
 * - `failed`: the clip could not be loaded or decoded (the caption is still shown).
 */
export const VOICE_PROMPT_STATES = ["idle", "playing", "played", "blocked", "failed"] as const;

/** One of {@linkcode VOICE_PROMPT_STATES}. */
export type VoicePromptState = (typeof VOICE_PROMPT_STATES)[number];

/** The prompt being shown. */
export interface ShownPrompt {
  readonly key: SessionPromptKey;
  readonly lang: SessionLanguage;
  /** The exact words of the clip, to show on screen. */
  readonly caption: string;
}

/**
 * Speaks the prompt of the current step in the current language and holds
 * its caption for the host to show.
 *
 * Call {@linkcode say} whenever the step or language may have changed (from
 * `willUpdate`, say): the same prompt again does nothing, another one stops
 * the clip playing and starts the new one. A clip that cannot play never
 * throws: the caption stays and {@linkcode state} tells why. Playing stops
 * when the host leaves the page.
 *
 * @example
 * ```ts
 * readonly #voice = new VoicePromptController(this, { player: playWithAudioElement });
 * override willUpdate() { this.#voice.say("consent", this.locale); }
 * override render() { return html`<p>${this.#voice.prompt?.caption}</p>`; }
 * ```
 */
export class VoicePromptController implements ReactiveController {
  prompt: ShownPrompt | undefined;
  state: VoicePromptState = "idle";
  readonly #host: ReactiveControllerHost;
  readonly #player: PromptPlayer;
  #playback: PromptPlayback | undefined;
  // Results of a clip that was stopped or replaced must not change the state.
  #generation = 0;

  /** `player` plays the clips: `playWithAudioElement` in the kiosk, a fake in tests. */
  constructor(host: ReactiveControllerHost, options: { readonly player: PromptPlayer }) {
    this.#host = host;
    this.#player = options.player;
    host.addController(this);
  }

  /** Shows and plays prompt `key` in `lang`, unless it is already the current one. */
  say(key: SessionPromptKey, lang: SessionLanguage): void {
    if (this.prompt?.key === key && this.prompt.lang === lang) return;
    this.#stop();
    this.prompt = { key, lang, caption: voiceCaption(key, lang) };
    this.#play(key, lang);
  }

  /** Stops the clip and removes the caption (a step without a prompt). */
  clear(): void {
    if (!this.prompt) return;
    this.#stop();
    this.prompt = undefined;
    this.#set("idle");
  }

  hostConnected(): void {
    // Back on the page (moved, or shown again): the host's next update says its prompt again.
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#stop();
    this.prompt = undefined;
    this.state = "idle";
  }

  #play(key: SessionPromptKey, lang: SessionLanguage): void {
    const generation = this.#generation;
    const settle = (state: VoicePromptState) => {
      if (generation !== this.#generation) return;
      this.#playback = undefined;
      this.#set(state);
    };
    this.#set("playing");
    try {
      this.#playback = this.#player(voicePromptUrl(lang, key));
    } catch {
      settle("failed");
      return;
    }
    this.#playback.done.then(
      () => settle("played"),
      (error: unknown) => settle(isAutoplayBlocked(error) ? "blocked" : "failed"),
    );
  }

  #stop(): void {
    this.#generation++;
    this.#playback?.stop();
    this.#playback = undefined;
  }

  #set(state: VoicePromptState): void {
    this.state = state;
    this.#host.requestUpdate();
  }
}
