import * as v from "valibot";
import { positiveInt, settings } from "../config/schema.js";

/**
 * A tenant's `rateLimit`: at most `requests` platform requests reach its HIS per fixed window of `periodSeconds`.
 * The periods are the Workers rate-limit binding's two, so a limit can move to a binding without changing its
 * meaning.
 */
export const rateLimitSchema = settings(
  { requests: positiveInt, periodSeconds: v.picklist([10, 60], "must be 10 or 60") },
  'must be {"requests": <positive integer>, "periodSeconds": 10 | 60}',
  { requests: "must be a positive integer", periodSeconds: "must be 10 or 60" },
);

export type RateLimit = v.InferOutput<typeof rateLimitSchema>;
