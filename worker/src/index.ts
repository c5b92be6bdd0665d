import { checkEveryTenant } from "./alerts/check.js";
import { app } from "./app.js";
import { armCronAlarm } from "./durable/cron-alarm.js";
import type { Bindings } from "./env.js";

export { CronAlarm } from "./durable/cron-alarm.js";
export { IdempotencyRecord } from "./durable/idempotency-record.js";
export { MessageTrail } from "./durable/message-trail.js";
export { NotificationQueue } from "./durable/notification-queue.js";
export { RateLimiter } from "./ratelimit/limiter.js";

export default {
  fetch(request, env, ctx) {
    // Self-hosted only (CRON_ALARM is bound by npm run build's plan, never on Cloudflare): the first request of an
    // isolate makes sure the alarm that stands in for the cron trigger is set.
    armCronAlarm(env, ctx);
    return app.fetch(request, env, ctx);
  },
  /** The cron trigger (wrangler.jsonc, each minute): alert checks for every tenant with `alerts`. */
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(checkEveryTenant(env));
  },
} satisfies ExportedHandler<Bindings>;
