/**
 * What the `/demo/` controls do: move cards on the simulated reader and point
 * the demo camera at someone. "The holder" is the person whose card was
 * placed last, so placing another card while the camera shows the holder
 * puts that card's holder in front of it.
 */
import type { DemoCameraShow, DemoCard } from "@kiosk/contracts";
import type { DemoCameraControl, DemoReaderControl } from "../demo-ports.ts";

// Person folders of the demo camera besides the cardholders (`demo-camera-script.ts` in @kiosk/device).
const OTHER_PERSON = "other";
const NOBODY = "nobody";

/** The demo's reader and camera, steered together. */
export class DemoControls {
  readonly #reader: DemoReaderControl;
  readonly #camera: DemoCameraControl;
  #holder: string | undefined;
  #show: DemoCameraShow = "nobody";

  constructor(deps: { readonly reader: DemoReaderControl; readonly camera: DemoCameraControl }) {
    this.#reader = deps.reader;
    this.#camera = deps.camera;
  }

  /** The cards that can be placed. */
  cards(): Promise<DemoCard[]> {
    return this.#reader.cards();
  }

  /**
   * Places card `id` on the reader; it is now the holder's card.
   *
   * @throws {KioskError} `not-found` for an unknown id (nothing changes).
   */
  async placeCard(id: string): Promise<void> {
    await this.#reader.place(id);
    this.#holder = id;
    if (this.#show === "holder" || this.#show === "printed-photo") await this.#point();
  }

  /** Takes the card off the reader (the holder stays in front of the camera, as a person would). */
  removeCard(): Promise<void> {
    return this.#reader.remove();
  }

  /** The card the kiosk reads next (on the reader now, or placed next) is pulled away during its read (the read fails and the card is gone). */
  liftCardDuringNextRead(): Promise<void> {
    return this.#reader.liftDuringNextRead();
  }

  /** Chooses what the camera sees: the holder of the last placed card, another person, nobody, or the holder's printed photo. */
  async showOnCamera(show: DemoCameraShow): Promise<void> {
    this.#show = show;
    await this.#point();
  }

  /** Plugs the simulated reader in or pulls it out. */
  setReaderConnected(connected: boolean): Promise<void> {
    return this.#reader.setConnected(connected);
  }

  #point(): Promise<void> {
    switch (this.#show) {
      case "nobody":
        return this.#camera.show(NOBODY);
      case "other":
        return this.#camera.show(OTHER_PERSON);
      case "holder":
        return this.#camera.show(this.#holder ?? NOBODY);
      case "printed-photo":
        return this.#camera.show(this.#holder ?? NOBODY, { printedPhoto: true });
    }
  }
}
