/**
 * Scripted fault injection for the reader simulator: a small JSON format
 * that says what goes wrong, and when. Pure: parsing and bookkeeping only;
 * `ReaderSimulator` carries the faults out.
 *
 * A script is a JSON array of steps (or `{ "steps": [...] }`). Two kinds:
 *
 * **Timed actions**, `atMs` after the simulator starts:
 * ```json
 * { "atMs": 2000, "action": "remove-card" }
 * ```
 * `action` is one of `insert-card`, `remove-card`, `sam-fail` (every command
 * then gets SW3 60 until `sam-ok`), `sam-ok`.
 *
 * **Reply faults**, applied to requests of one command:
 * ```json
 * { "command": "readBase", "occurrence": 2, "count": 1, "fault": "split", "chunks": 4, "gapMs": 30 }
 * ```
 * - `command`: a name from `COMMANDS` (`findCard`, `selectCard`, `readBase`,
 *   `readBaseWithFingerprint`, `readAppendedAddress`, `samStatus`,
 *   `readSamId`, `resetSam`, `setMaxRfBytes`), `setBaud`, or `any` (default);
 * - `occurrence`: the 1-based number of that command's request, counted
 *   from the start, that gets the fault (default 1); `count`: how many
 *   consecutive such requests get it (default 1);
 * - `fault`, with its parameters:
 *   - `garbage` (`bytes`, default 16): junk bytes before the reply;
 *   - `split` (`chunks`, default 3; `gapMs`, default 20): the reply in pieces with pauses;
 *   - `bad-checksum`: the reply's checksum byte is flipped;
 *   - `stall` (`afterBytes`, default half the reply; `resumeAfterMs`, optional):
 *     the reply stops mid-frame; the rest follows after `resumeAfterMs`, or never;
 *   - `drop`: no reply at all;
 *   - `status` (`sw3`, a number or hex text such as `"0x41"`): a short reply with that SW3;
 *   - `no-card`: SW3 80; `sam-failure`: SW3 60; `auth-failure` (`sw3` 31 or 32, default 32);
 *   - `card-removed` (`reinsertAfterMs`, optional): the card is lifted during
 *     this request, which gets SW3 41; it comes back after `reinsertAfterMs`.
 */
import { COMMANDS } from "../protocol/constants.ts";
import type { SimulatedCommand } from "./reader-responder.ts";

/** Timed actions of a script. */
export const FAULT_ACTIONS = {
  "insert-card": "place the card on the reader",
  "remove-card": "lift the card off the reader",
  "sam-fail": "the SAM fails its self-test: every command gets SW3 60",
  "sam-ok": "the SAM works again",
} as const;

/** One of {@linkcode FAULT_ACTIONS}. */
export type FaultAction = keyof typeof FAULT_ACTIONS;

/** A fault applied to one reply. */
export type ReplyFault =
  | { readonly fault: "garbage"; readonly bytes: number }
  | { readonly fault: "split"; readonly chunks: number; readonly gapMs: number }
  | { readonly fault: "bad-checksum" }
  | { readonly fault: "stall"; readonly afterBytes?: number; readonly resumeAfterMs?: number }
  | { readonly fault: "drop" }
  | { readonly fault: "status"; readonly sw3: number }
  | { readonly fault: "card-removed"; readonly reinsertAfterMs?: number };

/** Kinds of {@linkcode ReplyFault} (plus the status shortcuts of the JSON format). */
export type ReplyFaultKind = ReplyFault["fault"];

/** A step of a script after parsing. */
export type FaultStep =
  | { readonly type: "action"; readonly atMs: number; readonly action: FaultAction }
  | {
      readonly type: "reply";
      readonly command: SimulatedCommand | "any";
      readonly occurrence: number;
      readonly count: number;
      readonly fault: ReplyFault;
    };

/** A parsed script. */
export interface FaultScript {
  readonly steps: readonly FaultStep[];
}

// Shortcuts of the JSON format for common SAM statuses (spec §4).
const STATUS_SHORTCUTS = {
  "no-card": 0x80,
  "sam-failure": 0x60,
} as const;
const AUTH_FAILURE_CODES: readonly number[] = [0x31, 0x32];
const DEFAULT_AUTH_FAILURE = 0x32;
const DEFAULT_GARBAGE_BYTES = 16;
const DEFAULT_SPLIT_CHUNKS = 3;
const DEFAULT_SPLIT_GAP_MS = 20;
const MAX_BYTE = 0xff;
const HEX_TEXT = /^0x[0-9a-f]{1,2}$/i;
const COMMAND_NAMES: readonly string[] = [...Object.keys(COMMANDS), "setBaud", "any"];

/** An empty script: no faults. */
export const NO_FAULTS: FaultScript = Object.freeze({ steps: Object.freeze([]) });

/**
 * Parses and checks a script (already `JSON.parse`d), collecting every
 * problem before failing.
 *
 * @throws {SyntaxError} listing each invalid step by index.
 * @example
 * ```ts
 * parseFaultScript([{ atMs: 0, action: "remove-card" }, { command: "readBase", fault: "bad-checksum" }]);
 * ```
 */
export function parseFaultScript(json: unknown): FaultScript {
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json["steps"]) ? json["steps"] : undefined;
  if (!list) throw new SyntaxError('Invalid fault script: expected a JSON array of steps or { "steps": [...] }');
  const errors: string[] = [];
  const steps: FaultStep[] = [];
  list.forEach((raw: unknown, index) => {
    const problems: string[] = [];
    const step = parseStep(raw, problems);
    if (problems.length > 0 || !step) errors.push(...problems.map((p) => `step ${index}: ${p}`));
    else steps.push(step);
  });
  if (errors.length > 0) throw new SyntaxError(`Invalid fault script: ${errors.join("; ")}`);
  return { steps };
}

function parseStep(raw: unknown, problems: string[]): FaultStep | undefined {
  if (!isRecord(raw)) {
    problems.push("expected an object");
    return undefined;
  }
  if ("action" in raw) {
    const action = raw["action"];
    const atMs = nonNegative(raw, "atMs", problems, 0);
    if (typeof action !== "string" || !Object.hasOwn(FAULT_ACTIONS, action)) {
      problems.push(`unknown action "${String(action)}": expected ${Object.keys(FAULT_ACTIONS).join(", ")}`);
      return undefined;
    }
    return { type: "action", atMs, action: action as FaultAction };
  }
  const command = raw["command"] ?? "any";
  if (typeof command !== "string" || !COMMAND_NAMES.includes(command)) {
    problems.push(`unknown command "${String(command)}": expected ${COMMAND_NAMES.join(", ")}`);
  }
  const occurrence = positiveInteger(raw, "occurrence", problems, 1);
  const count = positiveInteger(raw, "count", problems, 1);
  const fault = parseFault(raw, problems);
  if (!fault || problems.length > 0) return undefined;
  return { type: "reply", command: command as SimulatedCommand | "any", occurrence, count, fault };
}

function parseFault(raw: Record<string, unknown>, problems: string[]): ReplyFault | undefined {
  const kind = raw["fault"];
  switch (kind) {
    case "garbage":
      return { fault: "garbage", bytes: positiveInteger(raw, "bytes", problems, DEFAULT_GARBAGE_BYTES) };
    case "split":
      return { fault: "split", chunks: positiveInteger(raw, "chunks", problems, DEFAULT_SPLIT_CHUNKS), gapMs: nonNegative(raw, "gapMs", problems, DEFAULT_SPLIT_GAP_MS) };
    case "bad-checksum":
    case "drop":
      return { fault: kind };
    case "stall": {
      const afterBytes = raw["afterBytes"] === undefined ? undefined : positiveInteger(raw, "afterBytes", problems, 1);
      const resumeAfterMs = raw["resumeAfterMs"] === undefined ? undefined : nonNegative(raw, "resumeAfterMs", problems, 0);
      return { fault: "stall", ...(afterBytes === undefined ? {} : { afterBytes }), ...(resumeAfterMs === undefined ? {} : { resumeAfterMs }) };
    }
    case "status": {
      const sw3 = byteValue(raw["sw3"]);
      if (sw3 === undefined) {
        problems.push(`"sw3" must be a byte, as a number or hex text such as "0x41"`);
        return undefined;
      }
      return { fault: "status", sw3 };
    }
    case "no-card":
    case "sam-failure":
      return { fault: "status", sw3: STATUS_SHORTCUTS[kind] };
    case "auth-failure": {
      const sw3 = raw["sw3"] === undefined ? DEFAULT_AUTH_FAILURE : byteValue(raw["sw3"]);
      if (sw3 === undefined || !AUTH_FAILURE_CODES.includes(sw3)) {
        problems.push(`"sw3" of an auth-failure must be 0x31 or 0x32`);
        return undefined;
      }
      return { fault: "status", sw3 };
    }
    case "card-removed": {
      const reinsertAfterMs = raw["reinsertAfterMs"] === undefined ? undefined : nonNegative(raw, "reinsertAfterMs", problems, 0);
      return { fault: "card-removed", ...(reinsertAfterMs === undefined ? {} : { reinsertAfterMs }) };
    }
    default:
      problems.push(
        `unknown fault "${String(kind)}": expected garbage, split, bad-checksum, stall, drop, status, no-card, sam-failure, auth-failure or card-removed`,
      );
      return undefined;
  }
}

/**
 * Hands out the reply faults of a script as requests arrive: counts the
 * requests of each command and returns the fault due for this one.
 */
export class FaultPlan {
  readonly #steps: readonly Extract<FaultStep, { type: "reply" }>[];
  readonly #seen = new Map<string, number>();
  #applied = 0;

  constructor(script: FaultScript) {
    this.#steps = script.steps.filter((s): s is Extract<FaultStep, { type: "reply" }> => s.type === "reply");
  }

  /** Faults handed out so far. */
  get applied(): number {
    return this.#applied;
  }

  /**
   * Records a request of `command` (or of a command the simulator does not
   * know, `undefined`) and returns the fault for its reply, if any: the
   * first matching step wins.
   */
  next(command: SimulatedCommand | undefined): ReplyFault | undefined {
    const ofCommand = command === undefined ? undefined : this.#count(command);
    const ofAny = this.#count("any");
    for (const step of this.#steps) {
      const n = step.command === "any" ? ofAny : step.command === command ? ofCommand : undefined;
      if (n !== undefined && n >= step.occurrence && n < step.occurrence + step.count) {
        this.#applied++;
        return step.fault;
      }
    }
    return undefined;
  }

  #count(key: string): number {
    const n = (this.#seen.get(key) ?? 0) + 1;
    this.#seen.set(key, n);
    return n;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function byteValue(value: unknown): number | undefined {
  const n = typeof value === "string" && HEX_TEXT.test(value) ? Number.parseInt(value, 16) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_BYTE ? n : undefined;
}

function positiveInteger(raw: Record<string, unknown>, key: string, problems: string[], fallback: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    problems.push(`"${key}" must be a positive integer`);
    return fallback;
  }
  return value;
}

function nonNegative(raw: Record<string, unknown>, key: string, problems: string[], fallback: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    problems.push(`"${key}" must be a number of ms, 0 or more`);
    return fallback;
  }
  return value;
}
