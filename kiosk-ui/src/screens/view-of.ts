import type { SessionStep, SessionView } from "@kiosk/contracts";

/** The session view of step `S`. */
export type ViewOf<S extends SessionStep> = Extract<SessionView, { step: S }>;
