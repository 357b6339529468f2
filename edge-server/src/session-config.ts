/**
 * Settings of the verification session (`session`): how the idle
 * countdowns are scaled and the card's minimum age. The screens' own
 * countdowns are the machine's defaults (`DEFAULT_SESSION_SETTINGS`, from
 * the kiosk UX norms); tests and demos shorten them all at once with
 * `timeoutScale`.
 *
 * This module imports only zod and the pure session domain, so
 * provisioning can read the schema.
 */
import { z } from "zod";
import { BUSY_STEPS, DEFAULT_SESSION_SETTINGS, type SessionSettings, type StepTimeout, type TimedStep } from "./domain/verification-session-settings.ts";

/** Schema of the `session` settings. */
export const sessionConfigSchema = z.object({
  timeoutScale: z.number().positive().max(10).default(1).meta({
    description:
      "Multiplies the idle countdown of every screen that waits for the applicant (1 keeps the UX defaults: 60–120 s, then a 30 s warning); tests use e.g. 0.05. The watchdogs of reading, face capture and saving keep their length",
  }),
  minAgeYears: z.number().int().min(0).max(120).default(0).meta({
    description: "Youngest card holder the kiosk verifies, in whole years; a younger one is sent to a staff window (0 turns the check off)",
  }),
});

/** The `session` settings. */
export type SessionConfig = z.output<typeof sessionConfigSchema>;

/**
 * The session machine's settings under `config`: the applicant's
 * countdowns of the defaults times `timeoutScale`. The busy steps'
 * watchdogs stay: they bound how long a device may take (a card read, a
 * capture, a commit), which no test makes faster.
 */
export function sessionSettings(config: Pick<SessionConfig, "timeoutScale">): SessionSettings {
  const scale = (t: StepTimeout): StepTimeout => ({ idleMs: Math.round(t.idleMs * config.timeoutScale), warningMs: Math.round(t.warningMs * config.timeoutScale) });
  const entries = Object.entries(DEFAULT_SESSION_SETTINGS.timeouts) as [TimedStep, StepTimeout][];
  const timeouts = Object.fromEntries(entries.map(([step, t]) => [step, BUSY_STEPS.has(step) ? t : scale(t)])) as Record<TimedStep, StepTimeout>;
  return { ...DEFAULT_SESSION_SETTINGS, timeouts };
}
