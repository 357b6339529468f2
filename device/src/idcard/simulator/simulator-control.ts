/**
 * The reader simulator's control channel: the requests a demo sends to place
 * a card, take it off, or unplug and replug the reader (`demo-api.ts` lists
 * the routes). Pure request handling over web-standard `Request` and
 * `Response`; `adapters/unix-control-server.ts` serves it on a unix socket.
 */
import {
  demoPlaceCardSchema,
  demoReaderSchema,
  KioskError,
  parseDemoBody,
  problemResponse,
  type DemoCard,
  type DemoReaderStatus,
} from "@kiosk/contracts";
import { describeCard, type CardFolder } from "./card-folder.ts";
import type { SimulatedCard } from "./reader-responder.ts";

/** The part of a reader a demo moves cards on (a {@linkcode ReaderResponder} or a {@linkcode ReaderSimulator}). */
export interface ControlledReader {
  insertCard(card: SimulatedCard): void;
  removeCard(): void;
  liftCardDuringNextRead(): void;
}

/** The reader's cable: pulled out and plugged back in (see `reader-line.ts`). */
export interface ReaderPlug {
  readonly connected: boolean;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

/** What {@linkcode SimulatorControl} acts on. */
export interface SimulatorControlOptions {
  readonly cards: CardFolder;
  readonly reader: ControlledReader;
  readonly plug: ReaderPlug;
  /** The id of the card lying on the reader at start, if any. */
  readonly placed?: string;
}

// Largest control request body: a card id or a flag.
const MAX_BODY_BYTES = 1024;

/**
 * Handles control requests for one simulated reader.
 *
 * @example
 * ```ts
 * const control = new SimulatorControl({ cards: await loadCardFolder(DEMO_CARDS_DIR), reader: simulator, plug: line });
 * await control.handle(new Request("http://sim/card", { method: "PUT", body: '{"id":"resident-zhou-mingyuan"}' })); // 204
 * ```
 */
export class SimulatorControl {
  readonly #cards: CardFolder;
  readonly #reader: ControlledReader;
  readonly #plug: ReaderPlug;
  #placed: string | undefined;

  /** @throws {RangeError} when `placed` is not one of `cards`. */
  constructor(options: SimulatorControlOptions) {
    this.#cards = options.cards;
    this.#reader = options.reader;
    this.#plug = options.plug;
    if (options.placed !== undefined && !this.#cards.has(options.placed)) throw new RangeError(`Unknown card "${options.placed}": not in the card folder`);
    this.#placed = options.placed;
  }

  /** The cards that can be placed. */
  cards(): DemoCard[] {
    return [...this.#cards].map(([id, card]) => describeCard(id, card));
  }

  /** The card on the reader and whether the reader is plugged in. */
  status(): DemoReaderStatus {
    return { cardId: this.#placed ?? null, connected: this.#plug.connected };
  }

  /**
   * Places the card `id` on the reader (lifting any card there first).
   *
   * @throws {KioskError} `not-found` for an id that is not in the folder.
   */
  place(id: string): void {
    const card = this.#cards.get(id);
    if (!card) throw new KioskError("not-found", `Unknown card "${id}": not in the card folder`);
    this.#reader.insertCard(card.simulated);
    this.#placed = id;
  }

  /** Takes the card off the reader; nothing happens when none lies there. */
  remove(): void {
    this.#reader.removeCard();
    this.#placed = undefined;
  }

  /** The card read next (on the reader now, or placed next) is pulled away during its read (the read fails and the card is gone). */
  liftDuringNextRead(): void {
    this.#reader.liftCardDuringNextRead();
  }

  /** Plugs the reader in or pulls it out; nothing happens when it already is. */
  async setConnected(connected: boolean): Promise<void> {
    if (connected === this.#plug.connected) return;
    await (connected ? this.#plug.replug() : this.#plug.unplug());
  }

  /** Answers one control request; failures become problem responses. */
  async handle(request: Request): Promise<Response> {
    try {
      return await this.#route(request);
    } catch (error) {
      return problemResponse(error);
    }
  }

  async #route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const route = `${request.method} ${path}`;
    switch (route) {
      case "GET /cards":
        return Response.json(this.cards());
      case "GET /status":
        return Response.json(this.status());
      case "PUT /card":
        this.place(parseDemoBody(demoPlaceCardSchema, await readJson(request)).id);
        return new Response(null, { status: 204 });
      case "DELETE /card":
        this.remove();
        return new Response(null, { status: 204 });
      case "POST /card/lift-during-read":
        this.liftDuringNextRead();
        return new Response(null, { status: 204 });
      case "PUT /reader":
        await this.setConnected(parseDemoBody(demoReaderSchema, await readJson(request)).connected);
        return new Response(null, { status: 204 });
      default:
        throw new KioskError("not-found", `No control route for ${request.method} "${path}"`);
    }
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new KioskError("payload-too-large", `Control request of "${text.length}" bytes: at most ${MAX_BODY_BYTES}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new KioskError("bad-request", "Invalid control request: the body is not JSON");
  }
}
