/**
 * The `demo` settings: demo mode lets a person play the applicant on
 * simulated devices (`./kiosk demo`). Off on a real kiosk.
 */
import { z } from "zod";

/** Schema of the `demo` settings. */
export const demoConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .meta({ description: "Demo mode: serves /demo/ (the demo page and its controls) and replaces the camera with the demo camera. Never on a real kiosk" }),
    readerControl: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Unix socket of the simulated reader's control channel (./kiosk idcard simulate --control); required in demo mode" }),
    cameraDir: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Folder of the demo camera's sequences (<person>/<kind>/frames); default: the ones shipped in device/src/camera/demo-sequences" }),
  })
  .refine((demo) => !demo.enabled || demo.readerControl !== undefined, {
    path: ["readerControl"],
    message: "is required when demo.enabled is true: the socket of ./kiosk idcard simulate --control",
  });

/** The `demo` settings. */
export type DemoConfig = z.output<typeof demoConfigSchema>;
