import { Hono } from "hono";
import type { DeliveryState } from "../durable/notification-queue.js";
import type { AppEnv } from "../env.js";
import { GatewayError, SUCCESS_MESSAGE } from "../errors.js";
import { hisToken } from "../middleware/his-token/index.js";
import { hisBodyLimit, hisJsonError } from "../render/his-json.js";

const STATES: ReadonlySet<string> = new Set<DeliveryState>(["pending", "delivered", "failed", "rejected"]);
const isState = (s: string): s is DeliveryState => STATES.has(s);
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** The position after a row, opaque to the caller: base64url of [createdAt, id]. */
function writeCursor(row: { createdAt: number; id: string }): string {
  const bytes = new TextEncoder().encode(JSON.stringify([row.createdAt, row.id]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The row position a cursor names, or null when it is not one writeCursor made. */
function readCursor(text: string): { createdAt: number; id: string } | null {
  if (text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
    const [createdAt, id] = Array.isArray(value) && value.length === 2 ? value : [];
    if (typeof createdAt === "number" && Number.isSafeInteger(createdAt) && typeof id === "string")
      return { createdAt, id };
  } catch {
    // Not base64 or not JSON: an invalid cursor, answered below.
  }
  return null;
}

/**
 * For the hospital, mounted at /deliveries: the notifications hisgate holds for it, and a way to send one again.
 * Errors are JSON with an HTTP status, rendered by its own onError.
 */
export const deliveryRoutes = new Hono<AppEnv>()
  .use(hisBodyLimit(), hisToken())
  .get("/", async (c) => {
    const tenant = c.var.tenant!;
    const asked = (c.req.query("state") ?? "pending,failed,rejected").split(",").map((s) => s.trim());
    const wanted = asked.filter(isState);
    const bad = asked.filter((s) => !isState(s));
    if (bad.length)
      throw new GatewayError("ILLEGAL_ARGUMENT", `unknown state ${bad.join(", ")}; use ${[...STATES].join(", ")}`);
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw new GatewayError("ILLEGAL_ARGUMENT", `limit must be an integer from 1 to ${MAX_LIMIT}`);
    const cursorText = c.req.query("cursor");
    const after = cursorText === undefined ? undefined : readCursor(cursorText);
    if (after === null) throw new GatewayError("ILLEGAL_ARGUMENT", "cursor is not one this endpoint returned");
    const queue = c.env.NOTIFICATIONS.get(
      c.env.NOTIFICATIONS.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`),
    );
    // One row more than asked tells whether another page follows.
    const rows = await queue.list(wanted, { limit: limit + 1, after });
    const deliveries = rows.slice(0, limit);
    const last = deliveries[deliveries.length - 1];
    const cursor = rows.length > limit && last ? writeCursor(last) : null;
    c.set("resultCode", "SUCCESS");
    return c.json({ resultCode: "SUCCESS", resultMessage: SUCCESS_MESSAGE, data: { deliveries, cursor } });
  })
  .post("/:id/replay", async (c) => {
    const tenant = c.var.tenant!;
    const queue = c.env.NOTIFICATIONS.get(
      c.env.NOTIFICATIONS.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`),
    );
    const { status } = await queue.replay(c.req.param("id"));
    // ILLEGAL_ARGUMENT is 400 on every HIS surface (HIS_STATUS): the id argument names no delivery of this tenant.
    if (status === "unknown") throw new GatewayError("ILLEGAL_ARGUMENT", "no such delivery");
    if (status === "delivered")
      throw new GatewayError("REPEAT_TRANSACTION", "already delivered and acknowledged by the HIS");
    c.set("resultCode", "SUCCESS");
    return c.json({ resultCode: "SUCCESS", resultMessage: "scheduled for delivery now" }, 202);
  })
  .onError(hisJsonError);
