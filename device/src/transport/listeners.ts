/**
 * A set of listeners for one kind of transport event, with the
 * "register returns its own remover" shape of `ByteTransport`.
 */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  /**
   * Registers `listener`; returns a function that removes this registration
   * (registering the same function twice gives two independent registrations).
   */
  add(listener: (value: T) => void): () => void {
    const own = (value: T): void => listener(value);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }

  /** Calls every listener registered now with `value`. */
  emit(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }
}
