import { Hono } from "hono";
import type { DeliveryState } from "../durable/notification-queue.js";
import type { AppEnv } from "../env.js";
import { hisToken } from "../middleware/his-token/index.js";

const STATES = new Set<DeliveryState>(["pending", "delivered", "failed", "rejected"]);

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
    const queue = c.env.NOTIFICATIONS.get(
      c.env.NOTIFICATIONS.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`),
    );
    return c.json({ resultCode: "SUCCESS", resultMessage: "成功", data: { deliveries: await queue.list(wanted) } });
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
