import { DurableObject } from "cloudflare:workers";

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * One tenant's request counter: a fixed window of `periodSeconds`, counted in one place for the whole
 * deployment (a Durable Object per tenant), so a retry storm spread over many Cloudflare locations still
 * reaches the HIS at most `requests` times per window. The count lives in memory: a window is at most a
 * minute, and an object evicted while idle has nothing worth keeping — losing a count only lets a window
 * start fresh.
 */
export class RateLimiter extends DurableObject {
  private window = -1;
  private count = 0;

  /**
   * Counts one request at `now` (the caller's clock: every Worker's clock is synchronised, and the caller's
   * is the one tests set) and says whether it is within `requests` for the current window.
   */
  take(requests: number, periodSeconds: number, now: number): TakeResult {
    const periodMs = periodSeconds * 1000;
    const window = Math.floor(now / periodMs);
    if (window !== this.window) {
      this.window = window;
      this.count = 0;
    }
    if (this.count >= requests)
      return { ok: false, retryAfterSeconds: Math.ceil(((window + 1) * periodMs - now) / 1000) };
    this.count++;
    return { ok: true };
  }
}
