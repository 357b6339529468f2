/**
 * A folder of card files, as the simulator's control channel offers them: each
 * `*.json` is one card, named by its file stem (`resident-zhou-mingyuan`).
 */
import type { DemoCard } from "@kiosk/contracts";
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { loadCardFile, type LoadedCard } from "./card-file.ts";

/** Cards by id (file stem), in file-name order. */
export type CardFolder = ReadonlyMap<string, LoadedCard>;

/**
 * Loads every card file of `dir`.
 *
 * @throws {SyntaxError} naming the first invalid card file.
 * @throws {Error} with `code` `ENOENT` when `dir` does not exist.
 */
export async function loadCardFolder(dir: string): Promise<CardFolder> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  const cards = new Map<string, LoadedCard>();
  for (const name of names) cards.set(basename(name, ".json"), await loadCardFile(join(dir, name)));
  return cards;
}

/** How a card is listed: its file's `label`, else the holder's name as the chip has it. */
export function describeCard(id: string, card: LoadedCard): DemoCard {
  const text = card.card;
  const name = "nameEn" in text && text.nameEn !== "" ? text.nameEn : text.name;
  return { id, cardType: text.cardType, label: card.label ?? name };
}
