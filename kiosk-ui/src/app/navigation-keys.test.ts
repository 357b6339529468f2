import { describe, expect, test } from "bun:test";
import { isNavigationKey, type KeyPress } from "./navigation-keys.ts";

function press(key: string, modifiers: Partial<Omit<KeyPress, "key">> = {}): KeyPress {
  return { key, ctrlKey: false, altKey: false, metaKey: false, ...modifiers };
}

describe("isNavigationKey", () => {
  test("browser shortcuts with a modifier are cancelled", () => {
    for (const shortcut of [
      press("ArrowLeft", { altKey: true }),
      press("ArrowRight", { altKey: true }),
      press("r", { ctrlKey: true }),
      press("=", { ctrlKey: true }),
      press("-", { ctrlKey: true }),
      press("0", { ctrlKey: true }),
      press("p", { ctrlKey: true }),
      press("u", { ctrlKey: true }),
      press("[", { metaKey: true }),
      press("Home", { altKey: true }),
    ]) {
      expect(isNavigationKey(shortcut, false)).toBe(true);
    }
  });

  test("function keys, browser keys and the context-menu key are cancelled", () => {
    for (const key of ["F1", "F5", "F7", "F11", "F12", "F24", "BrowserBack", "BrowserForward", "BrowserRefresh", "BrowserHome", "ContextMenu"]) {
      expect(isNavigationKey(press(key), false)).toBe(true);
    }
  });

  test("Backspace is cancelled outside a text field and kept inside one", () => {
    expect(isNavigationKey(press("Backspace"), false)).toBe(true);
    expect(isNavigationKey(press("Backspace"), true)).toBe(false);
  });

  test("keys that operate the page keep working", () => {
    for (const key of ["Tab", "Enter", " ", "ArrowDown", "ArrowLeft", "Escape", "a", "F", "Fn", "Shift"]) {
      expect(isNavigationKey(press(key), false)).toBe(false);
    }
  });
});
