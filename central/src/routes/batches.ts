import { KioskError } from "@kiosk/contracts";
import { Hono } from "hono";
import type { AdmissionGate } from "../ingest/admission-gate.ts";
import { MAX_BATCH_WIRE_BYTES, type BatchIngester } from "../ingest/batch-ingester.ts";
import { readRequestBody } from "../middleware/read-request-body.ts";

/** What the batch route needs. */
export interface BatchRouteDeps {
  readonly ingester: BatchIngester;
  /** Bounds concurrent batches; past it the kiosk gets 429 with `Retry-After`. */
  readonly admission: AdmissionGate;
  readonly retryAfterS: number;
}

/**
 * `POST /api/v1/kiosks/{kioskId}/batches` (contracts `batchPath`): a kiosk's
 * signed batch, answered after commit with statuses, ackThrough, gaps and a
 * signed receipt.
 */
export function batchRoutes(deps: BatchRouteDeps): Hono {
  const routes = new Hono();
  routes.post("/api/v1/kiosks/:kioskId/batches", async (c) => {
    // Admission first: a refused batch costs neither a body read nor a signature check.
    const release = deps.admission.tryEnter();
    if (!release) {
      throw new KioskError("overloaded", `Central is storing too many batches at once; retry in ${deps.retryAfterS} s`, {
        details: { retryAfterS: deps.retryAfterS },
      });
    }
    try {
      const body = await readRequestBody(c.req.raw, MAX_BATCH_WIRE_BYTES);
      const url = new URL(c.req.url);
      const response = await deps.ingester.ingest(c.req.param("kioskId"), {
        method: c.req.method,
        path: `${url.pathname}${url.search}`,
        header: (name) => c.req.header(name),
        body,
      });
      c.header("Cache-Control", "no-store");
      return c.json(response);
    } finally {
      release();
    }
  });
  return routes;
}
