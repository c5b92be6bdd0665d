import { app } from "./app.js";

export { IdempotencyRecord } from "./durable/idempotency-record.js";
export { NotificationQueue } from "./durable/notification-queue.js";
export { RateLimiter } from "./ratelimit/limiter.js";

export default app;
