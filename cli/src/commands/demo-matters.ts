/**
 * The open registration matters the demo's central holds, so that a person
 * playing the applicant with a demo card sees the matters step. They list
 * the simulated reader's demo cardholders next to invented co-applicants:
 * every person, company, ID number and credit code here is made up.
 */
import type { MatterInput } from "@kiosk/contracts";
import { DEMO_CARDS, demoCardPath, loadCardFile, type DemoCardName } from "@kiosk/device";

/** What a matter lists of a demo cardholder. */
export interface Cardholder {
  /** The card number as printed on the card. */
  readonly idNumber: string;
  readonly name: string;
}

/** The demo cardholders, by demo card name. */
export type DemoCardholders = Readonly<Record<DemoCardName, Cardholder>>;

/**
 * Four open matters of `hallId`: the resident card holder is on two, the
 * Hong Kong resident on two, the 2017 foreign card holder on one, and the
 * 2023 foreign card holder on none (the "no pending matter" path). The
 * holder of the lost card is on one too (the blocklist stops her at the
 * card, matters or not); the expired card's holder is on none.
 */
export function demoMatters(holders: DemoCardholders, hallId: string): MatterInput[] {
  const person = (holder: Cardholder, role: MatterInput["persons"][number]["role"]) => ({ idNumber: holder.idNumber, name: holder.name, role });
  const { resident, "hmt-residence": hmt, "foreign-2017": foreign, lost } = holders;
  return [
    {
      matterId: "DEMO-2026-0001",
      kind: "establishment",
      companyName: "北京明远智联科技有限公司",
      hallId,
      status: "open",
      persons: [
        person(resident, "legal-representative"),
        { idNumber: "110108198809160526", name: "林晓雯", role: "shareholder" },
        person(hmt, "supervisor"),
      ],
    },
    {
      matterId: "DEMO-2026-0002",
      kind: "change",
      companyName: "北京嘉禾文化传播有限公司",
      creditCode: "91110105MA01R7Q3XT",
      hallId,
      status: "open",
      persons: [person(hmt, "legal-representative"), { idNumber: "110105197506032312", name: "王建国", role: "shareholder" }, person(lost, "shareholder")],
    },
    {
      matterId: "DEMO-2026-0003",
      kind: "establishment",
      companyName: "北京英睿管理咨询有限公司",
      hallId,
      status: "open",
      persons: [person(foreign, "legal-representative"), { idNumber: "110102198501273622", name: "孙丽", role: "liaison" }],
    },
    {
      matterId: "DEMO-2026-0004",
      kind: "change",
      companyName: "北京青禾餐饮管理有限公司",
      creditCode: "91110108MA04C2K8TL",
      hallId,
      status: "open",
      persons: [{ idNumber: "110105199308111510", name: "刘洋", role: "legal-representative" }, person(resident, "supervisor")],
    },
  ];
}

/** How many of `matters` list each demo cardholder. */
export function mattersPerCard(holders: DemoCardholders, matters: readonly MatterInput[]): Record<DemoCardName, number> {
  const entries = Object.entries(holders).map(([card, holder]) => [card, matters.filter((m) => m.persons.some((p) => p.idNumber === holder.idNumber)).length]);
  return Object.fromEntries(entries) as Record<DemoCardName, number>;
}

/** The blocklist entries of the demo: the lost card. */
export function demoBlocklist(holders: DemoCardholders): { cardNumber: string; reason: "lost" }[] {
  return [{ cardNumber: holders.lost.idNumber, reason: "lost" }];
}

/**
 * Reads the card number and name of every demo card the simulator ships.
 *
 * @throws {SyntaxError} when a demo card file is invalid.
 */
export async function loadDemoCardholders(): Promise<DemoCardholders> {
  const names = Object.keys(DEMO_CARDS) as DemoCardName[];
  const cards = await Promise.all(names.map((name) => loadCardFile(demoCardPath(name))));
  return Object.fromEntries(names.map((name, i) => [name, { idNumber: cards[i]!.card.idNumber, name: cards[i]!.card.name }])) as Record<DemoCardName, Cardholder>;
}
