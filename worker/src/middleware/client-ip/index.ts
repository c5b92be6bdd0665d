import type { Context } from "hono";
import { ipRestriction } from "hono/ip-restriction";
import type { Tenant } from "../../config/tenants.js";
import type { AppEnv } from "../../env.js";
import { GatewayError } from "../../errors.js";

// One Hono ipRestriction per allow-list, reused across requests of the same tenant.
const restrictions = new WeakMap<readonly string[], ReturnType<typeof ipRestriction>>();

const clientIp = (c: Context): string => c.req.header("cf-connecting-ip") ?? "";

/** The tenant's clientIps allow-list (IPs or CIDRs), checked against CF-Connecting-IP. */
export async function checkClientIp(c: Context<AppEnv>, tenant: Tenant): Promise<void> {
  if (!tenant.clientIps) return;
  let mw = restrictions.get(tenant.clientIps);
  if (!mw) {
    mw = ipRestriction(clientIp, { allowList: [...tenant.clientIps] }, () => {
      throw new GatewayError("ILLEGAL_CLIENT_IP", "this client IP may not call this hospital");
    });
    restrictions.set(tenant.clientIps, mw);
  }
  if (clientIp(c) === "") throw new GatewayError("ILLEGAL_CLIENT_IP", "the client IP is unknown");
  await mw(c, async () => {});
}
