import { runAlertChecks } from "./alerts/check.js";
import { app } from "./app.js";
import { loadTenants } from "./config/tenants.js";
import type { Bindings } from "./env.js";
import { log } from "./log.js";

export { IdempotencyRecord } from "./durable/idempotency-record.js";
export { MessageTrail } from "./durable/message-trail.js";
export { NotificationQueue } from "./durable/notification-queue.js";
export { RateLimiter } from "./ratelimit/limiter.js";

export default {
  fetch: app.fetch,
  /** The cron trigger (wrangler.jsonc, each minute): alert checks for every tenant with `alerts`. */
  async scheduled(_controller, env, ctx) {
    let tenants;
    try {
      tenants = loadTenants(env.TENANTS).all;
    } catch {
      log("error", "alerts.no_tenants");
      return;
    }
    ctx.waitUntil(runAlertChecks(env, tenants));
  },
} satisfies ExportedHandler<Bindings>;
