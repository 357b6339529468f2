/** Wire shape of the edge server's `GET /api/health`. */
import { z } from "zod";
import { devicesStatusSchema } from "./device-status.ts";
import { kioskIdSchema, kioskStatusSchema } from "./kiosk-status.ts";

export const problemSummarySchema = z.object({
  code: z.string(),
  message: z.string(),
  at: z.iso.datetime(),
});

export const edgeHealthSchema = z.object({
  service: z.literal("edge"),
  status: kioskStatusSchema,
  kioskId: kioskIdSchema,
  version: z.string(),
  startedAt: z.iso.datetime(),
  uptimeS: z.number().nonnegative(),
  devices: devicesStatusSchema,
  central: z.object({
    url: z.string(),
    /** When central last acknowledged a heartbeat. */
    lastHeartbeatAt: z.iso.datetime().nullable(),
    /** The last failure to reach central, cleared on success. */
    lastError: problemSummarySchema.nullable(),
    consecutiveFailures: z.number().int().nonnegative(),
  }),
});

/** The edge server's health report. */
export type EdgeHealth = z.infer<typeof edgeHealthSchema>;
