/**
 * The demo page (`/demo/`, demo mode only): the kiosk screen in a frame,
 * scaled to fit, beside buttons that play the applicant's part on the
 * simulated devices. The edge server decides everything; the page only
 * sends commands and shows the devices' state from the health report.
 */
import { DEMO_CAMERA_SHOWS, type DemoCameraShow, type DemoCard } from "@kiosk/contracts";
import { fetchHealth } from "../data/health.ts";
import { fetchDemoCards, placeCard, removeCard, setReaderConnected, showOnCamera } from "./demo-client.ts";

/** Kiosk screen size the frame is laid out at (portrait). */
const SCREEN = { width: 1080, height: 1920 } as const;
/** Time between reads of the devices' state. */
const HEALTH_POLL_MS = 2_000;

const CARD_TYPE_NAMES: Record<DemoCard["cardType"], string> = {
  "resident": "resident ID card",
  "hmt-residence": "HK/Macau/Taiwan residence permit",
  "foreign-permanent-2017": "foreign permanent-resident card (2017)",
  "foreign-permanent-2023": "foreign permanent-resident card (2023)",
};

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`The demo page lacks "${selector}"`);
  return found;
}

const status = element<HTMLParagraphElement>("#status");

function say(text: string, kind: "ok" | "error" = "ok"): void {
  status.textContent = text;
  status.dataset["kind"] = kind;
}

/** Runs a command from a button, saying what happened. */
async function act(done: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    say(done);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), "error");
  }
}

function fitScreen(): void {
  const frame = element<HTMLElement>(".kiosk");
  frame.style.setProperty("--scale", String(frame.clientHeight / SCREEN.height));
}

function cardButton(card: DemoCard): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.dataset["cardId"] = card.id;
  button.append(card.label);
  const type = document.createElement("small");
  type.textContent = CARD_TYPE_NAMES[card.cardType];
  button.append(type);
  button.addEventListener("click", () => void act(`Placed "${card.label}" on the reader`, () => placeCard(card.id)));
  return button;
}

async function showCards(): Promise<void> {
  const list = element<HTMLDivElement>("#cards");
  try {
    list.replaceChildren(...(await fetchDemoCards()).map(cardButton));
  } catch (error) {
    say(`Cannot list the cards: ${error instanceof Error ? error.message : String(error)}`, "error");
  }
}

function wireCamera(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>("button[data-camera]")];
  for (const button of buttons) {
    const show = button.dataset["camera"] as DemoCameraShow;
    if (!DEMO_CAMERA_SHOWS.includes(show)) throw new Error(`Unknown camera choice "${show}"`);
    button.addEventListener("click", () =>
      void act(`The camera now sees: ${button.firstChild?.textContent ?? show}`, async () => {
        await showOnCamera(show);
        for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
      }),
    );
  }
}

async function pollHealth(): Promise<void> {
  try {
    const health = await fetchHealth();
    element("[data-device=idcardReader]").textContent = health.devices.idcardReader.state;
    element("[data-device=camera]").textContent = health.devices.camera.state;
  } catch {
    element("[data-device=idcardReader]").textContent = "edge server not answering";
    element("[data-device=camera]").textContent = "edge server not answering";
  }
}

element("button[data-action=remove-card]").addEventListener("click", () => void act("Took the card off the reader", removeCard));
element("button[data-reader=unplug]").addEventListener("click", () => void act("Unplugged the reader", () => setReaderConnected(false)));
element("button[data-reader=replug]").addEventListener("click", () => void act("Plugged the reader back in", () => setReaderConnected(true)));
wireCamera();
fitScreen();
addEventListener("resize", fitScreen);
void showCards();
void pollHealth();
setInterval(() => void pollHealth(), HEALTH_POLL_MS);
