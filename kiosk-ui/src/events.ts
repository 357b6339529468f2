/**
 * The UI's typed DOM events: elements announce what happened by firing them;
 * the app shell listens.
 */
import type { Lang } from "./i18n.ts";

/** Detail types of every UI event, by name. */
export interface KsEventMap {
  "ks-lang-change": { lang: Lang };
}

declare global {
  interface HTMLElementEventMap {
    "ks-lang-change": CustomEvent<KsEventMap["ks-lang-change"]>;
  }
}

/** Fires a bubbling, composed event from `target`. */
export function fire<K extends keyof KsEventMap>(target: EventTarget, name: K, detail: KsEventMap[K]): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
