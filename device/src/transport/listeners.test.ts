import { describe, expect, test } from "bun:test";
import { Listeners } from "./listeners.ts";

describe("Listeners", () => {
  test("calls each registration, and each remover removes only its own", () => {
    const listeners = new Listeners<number>();
    const seen: string[] = [];
    const listener = (n: number) => seen.push(`a${n}`);
    const removeFirst = listeners.add(listener);
    listeners.add(listener);
    listeners.add((n) => seen.push(`b${n}`));
    listeners.emit(1);
    removeFirst();
    listeners.emit(2);
    expect(seen).toEqual(["a1", "a1", "b1", "a2", "b2"]);
  });

  test("a listener removing itself during emit does not disturb the others", () => {
    const listeners = new Listeners<void>();
    const seen: string[] = [];
    const remove = listeners.add(() => {
      seen.push("once");
      remove();
    });
    listeners.add(() => seen.push("always"));
    listeners.emit();
    listeners.emit();
    expect(seen).toEqual(["once", "always", "always"]);
  });
});
