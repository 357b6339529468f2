import { BLOCKLIST_PATH, BLOCKLIST_REASONS, cardNumberSchema, KioskError, MATTERS_PATH, matterInputSchema, type Clock } from "@kiosk/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { apiTokenAuth } from "../middleware/api-token-auth.ts";
import { readJsonBody } from "../middleware/json-body.ts";
import type { ApiTokenStore } from "../store/api-token-store.ts";
import type { MatterStore } from "../store/matter-store.ts";

// A matter lists at most 100 persons of a few hundred bytes each.
const MAX_MATTER_BYTES = 256 * 1024;
const MAX_BLOCKLIST_BYTES = 1024;

const listCardSchema = z.object({ reason: z.enum(BLOCKLIST_REASONS) });

/** What the registration system's API needs. */
export interface MatterRouteDeps {
  readonly matters: MatterStore;
  readonly tokens: ApiTokenStore;
  readonly clock: Clock;
}

function cardNumberParam(value: string): string {
  const parsed = cardNumberSchema.safeParse(value);
  if (!parsed.success) throw new KioskError("bad-request", `Invalid card number in the path: ${parsed.error.issues[0]?.message ?? "malformed"}`);
  return parsed.data;
}

/**
 * The registration system's API, behind an API token:
 * `PUT|GET /api/v1/matters/{matterId}`, `PUT|DELETE /api/v1/blocklist/{cardNumber}`.
 * Every write that changes something gets the next change number.
 */
export function matterRoutes(deps: MatterRouteDeps): Hono {
  const routes = new Hono();
  const auth = apiTokenAuth(deps.tokens);
  routes.use(`${MATTERS_PATH}/*`, auth);
  routes.use(`${BLOCKLIST_PATH}/*`, auth);

  routes.put(`${MATTERS_PATH}/:matterId`, async (c) => {
    const input = await readJsonBody(c, matterInputSchema, MAX_MATTER_BYTES);
    const matterId = c.req.param("matterId");
    if (input.matterId !== matterId) throw new KioskError("bad-request", `Body names matter "${input.matterId}" but the path names "${matterId.slice(0, 64)}"`);
    const written = await deps.matters.putMatter(input, deps.clock.now());
    return c.json({ matter: written.matter, changeId: written.changeId, changed: written.changed }, written.created ? 201 : 200);
  });

  routes.get(`${MATTERS_PATH}/:matterId`, async (c) => {
    const matter = await deps.matters.getMatter(c.req.param("matterId"));
    if (!matter) throw new KioskError("not-found", `No matter "${c.req.param("matterId").slice(0, 64)}"`);
    return c.json(matter);
  });

  routes.put(`${BLOCKLIST_PATH}/:cardNumber`, async (c) => {
    const cardNumber = cardNumberParam(c.req.param("cardNumber"));
    const { reason } = await readJsonBody(c, listCardSchema, MAX_BLOCKLIST_BYTES);
    const outcome = await deps.matters.listCard(cardNumber, reason, deps.clock.now());
    return c.json({ cardNumber, listed: true, reason, ...outcome });
  });

  routes.delete(`${BLOCKLIST_PATH}/:cardNumber`, async (c) => {
    const cardNumber = cardNumberParam(c.req.param("cardNumber"));
    const outcome = await deps.matters.delistCard(cardNumber, deps.clock.now());
    if (!outcome) throw new KioskError("not-found", "This card is not on the blocklist");
    return c.json({ cardNumber, listed: false, ...outcome });
  });
  return routes;
}
