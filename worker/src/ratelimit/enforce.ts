import type { Context } from "hono";
import type { ServiceDefinition } from "../../../generated/registry.js";
import type { Tenant } from "../config/tenants.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";

/**
 * Refuses a platform request past its tenant's `rateLimit` with SYSTEM_ERROR naming the limit, before the
 * request is decrypted and before the HIS is called. Only authenticated requests are counted (a forger cannot
 * spend a hospital's budget), and only services the registry marks `rateLimited`: payments, refunds, orders
 * and notifications are never refused (spec/README.md, Rate limits).
 */
export async function enforceRateLimit(c: Context<AppEnv>, tenant: Tenant, def: ServiceDefinition): Promise<void> {
  const limit = tenant.rateLimit;
  if (!limit || !def.rateLimited) return;
  const ns = c.env.RATE_LIMITER;
  const stub = ns.get(ns.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`));
  const taken = await stub.take(limit.requests, limit.periodSeconds, Date.now());
  if (!taken.ok)
    throw new GatewayError(
      "SYSTEM_ERROR",
      `rate limit: this hospital takes at most ${limit.requests} requests per ${limit.periodSeconds} s; retry in ${taken.retryAfterSeconds} s`,
    );
}
