/**
 * Heartbeats: each kiosk tells central it is alive, with its status, at a
 * fixed interval (`POST /api/v1/kiosks/{kioskId}/heartbeats`), signed with
 * the kiosk's key like a batch (`requestSigningInput`).
 */
import { z } from "zod";
import { devicesStatusSchema } from "./device-status.ts";
import { kioskIdSchema, kioskStatusSchema } from "./kiosk-status.ts";

/** Central's route for the heartbeats of kiosk `kioskId`. */
export function heartbeatPath(kioskId: string): string {
  return `/api/v1/kiosks/${kioskId}/heartbeats`;
}

/** The idempotency key a heartbeat is signed under: one per beat of one boot. */
export function heartbeatIdempotencyKey(bootId: string, seq: number): string {
  return `heartbeat:${bootId}:${seq}`;
}

export const heartbeatSchema = z.object({
  kioskId: kioskIdSchema,
  /** Random id of this run of the edge server; changes on every restart. */
  bootId: z.uuid(),
  /** Counts heartbeats within one boot, from 1. */
  seq: z.number().int().positive(),
  /** Kiosk clock when sent (ISO 8601); central compares it with its own to spot clock skew. */
  sentAt: z.iso.datetime(),
  version: z.string().max(64),
  uptimeS: z.number().nonnegative(),
  status: kioskStatusSchema,
  devices: devicesStatusSchema,
});

/** A heartbeat as sent by a kiosk. */
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export const heartbeatAckSchema = z.object({
  /** Central clock when stored (ISO 8601). */
  receivedAt: z.iso.datetime(),
});

/** Central's reply to a stored heartbeat. */
export type HeartbeatAck = z.infer<typeof heartbeatAckSchema>;
