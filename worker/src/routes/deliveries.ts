import { Hono } from "hono";
import type { DeliveryState } from "../durable/notification-queue.js";
import type { AppEnv } from "../env.js";
import { hisToken } from "../middleware/his-token/index.js";

const STATES = new Set<DeliveryState>(["pending", "delivered", "failed", "rejected"]);
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
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string")
      return { createdAt: value[0] as number, id: value[1] };
  } catch {
    // Not base64 or not JSON: an invalid cursor, answered below.
  }
  return null;
}

/** For the hospital: the notifications hisgate holds for it, and a way to send one again. */
export const deliveryRoutes = new Hono<AppEnv>()
  .use("/deliveries", hisToken())
  .use("/deliveries/*", hisToken())
  .get("/deliveries", async (c) => {
    const tenant = c.var.tenant!;
    const wanted = (c.req.query("state") ?? "pending,failed,rejected")
      .split(",")
      .map((s) => s.trim()) as DeliveryState[];
    const bad = wanted.filter((s) => !STATES.has(s));
    if (bad.length)
      return c.json(
        {
          resultCode: "ILLEGAL_ARGUMENT",
          resultMessage: `unknown state ${bad.join(", ")}; use ${[...STATES].join(", ")}`,
        },
        400,
      );
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return c.json(
        { resultCode: "ILLEGAL_ARGUMENT", resultMessage: `limit must be an integer from 1 to ${MAX_LIMIT}` },
        400,
      );
    const cursorText = c.req.query("cursor");
    const after = cursorText === undefined ? undefined : readCursor(cursorText);
    if (after === null)
      return c.json({ resultCode: "ILLEGAL_ARGUMENT", resultMessage: "cursor is not one this endpoint returned" }, 400);
    const queue = c.env.NOTIFICATIONS.get(
      c.env.NOTIFICATIONS.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`),
    );
    // One row more than asked tells whether another page follows.
    const rows = await queue.list(wanted, { limit: limit + 1, after });
    const deliveries = rows.slice(0, limit);
    const last = deliveries[deliveries.length - 1];
    const cursor = rows.length > limit && last ? writeCursor(last) : null;
    return c.json({ resultCode: "SUCCESS", resultMessage: "成功", data: { deliveries, cursor } });
  })
  .post("/deliveries/:id/replay", async (c) => {
    const tenant = c.var.tenant!;
    const queue = c.env.NOTIFICATIONS.get(
      c.env.NOTIFICATIONS.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`),
    );
    const { status } = await queue.replay(c.req.param("id"));
    if (status === "unknown") return c.json({ resultCode: "ILLEGAL_ARGUMENT", resultMessage: "no such delivery" }, 404);
    if (status === "delivered")
      return c.json(
        { resultCode: "REPEAT_TRANSACTION", resultMessage: "already delivered and acknowledged by the HIS" },
        409,
      );
    return c.json({ resultCode: "SUCCESS", resultMessage: "scheduled for delivery now" }, 202);
  });
