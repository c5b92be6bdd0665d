import { runAlertChecks } from "./alerts/check.js";
import { app } from "./app.js";
import { tenantSource } from "./config/source.js";
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
    ctx.waitUntil(
      (async () => {
        // Every tenant, from TENANTS and the registry alike; only those with `alerts` are checked.
        const tenants = [];
        try {
          for await (const t of tenantSource(env).list()) if (t.alerts) tenants.push(t);
        } catch (err) {
          log("error", "alerts.no_tenants", { error: (err as Error)?.name });
          return;
        }
        await runAlertChecks(env, tenants);
      })(),
    );
  },
} satisfies ExportedHandler<Bindings>;
