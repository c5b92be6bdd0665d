import { app } from "./app.js";

export { IdempotencyRecord } from "./durable/idempotency-record.js";
export { MessageTrail } from "./durable/message-trail.js";
export { NotificationQueue } from "./durable/notification-queue.js";
export { RateLimiter } from "./ratelimit/limiter.js";

export default app;
