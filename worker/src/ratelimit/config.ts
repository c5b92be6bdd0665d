/** A tenant's `rateLimit`: at most `requests` platform requests reach its HIS per fixed window of `periodSeconds`. */
export interface RateLimit {
  requests: number;
  periodSeconds: 10 | 60;
}

/**
 * Reads `rateLimit` of a TENANTS entry (undefined when absent). The periods are the Workers rate-limit
 * binding's two, so a limit can move to a binding without changing its meaning. `fail` throws the caller's
 * configuration error.
 */
export function parseRateLimit(value: unknown, at: string, fail: (message: string) => never): RateLimit | undefined {
  if (value === undefined) return undefined;
  const shape = `${at} must be {"requests": <positive integer>, "periodSeconds": 10 | 60}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(shape);
  const v = value as Record<string, unknown>;
  for (const name of Object.keys(v))
    if (name !== "requests" && name !== "periodSeconds") fail(`${at}.${name} is not a known setting`);
  if (typeof v.requests !== "number" || !Number.isInteger(v.requests) || v.requests <= 0)
    fail(`${at}.requests must be a positive integer`);
  if (v.periodSeconds !== 10 && v.periodSeconds !== 60) fail(`${at}.periodSeconds must be 10 or 60`);
  return { requests: v.requests as number, periodSeconds: v.periodSeconds as 10 | 60 };
}
