import type { Context } from "hono";
import { ipRestriction } from "hono/ip-restriction";
import type { Tenant } from "../config/tenants.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { isRecord } from "../lib/object.js";

// One Hono ipRestriction per allow-list, reused across requests of the same tenant.
const restrictions = new WeakMap<readonly string[], ReturnType<typeof ipRestriction>>();

/**
 * On Cloudflare the edge sets CF-Connecting-IP. Self-hosted under workerd (`npm run serve`) nothing does, and the
 * socket removes any the client sent; workerd gives the TCP peer as request.cf.clientIp ("10.1.2.3:51234",
 * "[::1]:51234").
 */
const clientIp = (c: Context): string => {
  const header = c.req.header("cf-connecting-ip");
  if (header !== undefined) return header;
  // workerd's own field, which workers-types' IncomingRequestCfProperties does not list: read as unknown.
  const cf: unknown = c.req.raw.cf;
  const peer = isRecord(cf) ? cf.clientIp : undefined;
  if (typeof peer !== "string") return "";
  return (/^\[([^\]]+)\](?::\d+)?$/.exec(peer) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(peer))?.[1] ?? peer;
};

/**
 * The tenant's clientIps allow-list (IPs or CIDRs), checked against the client IP above. Not a middleware: it
 * runs inside authenticate(), once the envelope has named the tenant, with Hono's ipRestriction doing the matching.
 */
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
