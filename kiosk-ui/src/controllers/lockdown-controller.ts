import type { ReactiveController, ReactiveControllerHost } from "lit";
import { isNavigationKey } from "../app/navigation-keys.ts";

// Marks the history entry the controller pushes, so that Back lands on it and stays on the page.
const HISTORY_MARK = "ks-stay";

function isEditable(target: EventTarget | undefined): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || (target instanceof HTMLElement && target.isContentEditable);
}

function leadsAway(event: Event): boolean {
  return event.composedPath().some((node) => (node instanceof HTMLAnchorElement || node instanceof SVGAElement) && node.hasAttribute("href"));
}

/**
 * Keeps the applicant on the kiosk page while its host is connected: no
 * context menu (a long press opens one, and no browser switch turns that off),
 * no text selection, no dragged or dropped files (a dropped file would open in
 * place of the kiosk), no links or form submissions leaving the page, no
 * keyboard shortcuts that navigate or zoom, no Ctrl+wheel zoom, and Back
 * (the key, the mouse button or the swipe) stays on the page. The CSS half of
 * the hardening is in `index.html`.
 */
export class LockdownController implements ReactiveController {
  readonly #window: Window;
  #listening: AbortController | undefined;

  constructor(host: ReactiveControllerHost, win: Window = window) {
    this.#window = win;
    host.addController(this);
  }

  hostConnected(): void {
    this.#listening = new AbortController();
    const win = this.#window;
    // Capture phase on the window: these run before any element sees the event.
    const options = { capture: true, signal: this.#listening.signal };
    const cancel = (event: Event) => event.preventDefault();
    for (const type of ["contextmenu", "dragstart", "dragover", "drop", "submit"]) win.addEventListener(type, cancel, options);
    win.addEventListener("selectstart", (event) => {
      if (!isEditable(event.composedPath()[0])) event.preventDefault();
    }, options);
    for (const type of ["click", "auxclick"]) {
      win.addEventListener(type, (event) => {
        if (leadsAway(event)) event.preventDefault();
      }, options);
    }
    win.addEventListener("keydown", (event) => {
      if (isNavigationKey(event, isEditable(event.composedPath()[0]))) event.preventDefault();
    }, options);
    win.addEventListener("wheel", (event) => {
      if (event.ctrlKey) event.preventDefault();
    }, { ...options, passive: false });
    if (win.history.state !== HISTORY_MARK) win.history.pushState(HISTORY_MARK, "", win.location.href);
    win.addEventListener("popstate", () => win.history.pushState(HISTORY_MARK, "", win.location.href), options);
  }

  hostDisconnected(): void {
    this.#listening?.abort();
  }
}
