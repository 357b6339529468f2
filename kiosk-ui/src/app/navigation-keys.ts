/**
 * Which key presses a kiosk page swallows. The kiosk defines no keyboard
 * shortcuts of its own, so every browser shortcut a page can cancel is
 * cancelled (back and forward, reload, zoom, print, find, save, view source,
 * developer tools, full screen), while the keys that operate the page itself
 * (Tab, Enter, Space, arrows, letters) keep working for keyboard and switch
 * users. No DOM here.
 */

/** The parts of a `KeyboardEvent` the rule reads. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

// Function keys: F5 reloads, F7 turns on caret browsing, F11 leaves full screen, F12 opens developer tools.
const FUNCTION_KEY = /^F\d{1,2}$/;

/**
 * True when `press` is a browser shortcut the page must cancel.
 *
 * @param editable whether the key goes to a text field, where Backspace deletes text instead of navigating
 * @example
 * isNavigationKey({ key: "ArrowLeft", altKey: true, ctrlKey: false, metaKey: false }, false); // true: back
 */
export function isNavigationKey(press: KeyPress, editable: boolean): boolean {
  if (press.ctrlKey || press.altKey || press.metaKey) return true;
  if (FUNCTION_KEY.test(press.key) || press.key.startsWith("Browser") || press.key === "ContextMenu") return true;
  return press.key === "Backspace" && !editable;
}
