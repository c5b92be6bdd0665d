import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createHmac } from "node:crypto";
import { tenantSource, type TenantSource } from "../../config/source.js";
import type { Tenant } from "../../config/tenants.js";
import { secretsEqual } from "../../crypto/sign.js";
import type { AppEnv } from "../../env.js";

export const SESSION_COOKIE = "hisgate_status";
const SESSION_MS = 12 * 60 * 60 * 1000;

export type StatusAuthOptions = {
  /** What an unauthenticated request gets: the HTML login form or a JSON 401. */
  onUnauthorized: (c: Context<AppEnv>) => Response | Promise<Response>;
};

const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64url = (s: string) => Buffer.from(s, "base64url").toString("utf8");

/**
 * The session cookie names the tenant and an expiry, MACed with the tenant's own hisToken: no server-side
 * session store, the token never sits in the browser, and rotating the token ends every session.
 */
function sessionMac(tenant: Tenant, expires: number): string {
  return createHmac("sha256", tenant.hisToken!)
    .update(`${tenant.partner}\u0000${tenant.hospitalCode}\u0000${expires}`)
    .digest("base64url");
}

export function sessionValue(tenant: Tenant, now = Date.now()): string {
  const expires = now + SESSION_MS;
  return [b64url(tenant.partner), b64url(tenant.hospitalCode), String(expires), sessionMac(tenant, expires)].join(".");
}

export async function tenantBySession(
  tenants: Pick<TenantSource, "find">,
  value: string | undefined,
  now = Date.now(),
): Promise<Tenant | undefined> {
  const parts = value?.split(".");
  const [p, h, exp, mac, ...rest] = parts ?? [];
  if (p === undefined || h === undefined || exp === undefined || mac === undefined || rest.length) return undefined;
  const expires = Number(exp);
  if (!/^\d{1,15}$/.test(exp) || expires < now) return undefined;
  const tenant = await tenants.find(unb64url(p), unb64url(h));
  if (!tenant?.hisToken) return undefined;
  return secretsEqual(sessionMac(tenant, expires), mac) ? tenant : undefined;
}

export function startSession(c: Context<AppEnv>, tenant: Tenant): void {
  setCookie(c, SESSION_COOKIE, sessionValue(tenant), {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: SESSION_MS / 1000,
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/**
 * The operator's pages (/status, /status.json): the tenant's hisToken as `Authorization: Bearer`, or the
 * session cookie the login form sets. Sets the tenant.
 */
export const statusAuth = (options: StatusAuthOptions): MiddlewareHandler<AppEnv> =>
  async function statusAuth(c, next) {
    const tenants = tenantSource(c.env);
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    const tenant = token ? await tenants.byToken(token) : await tenantBySession(tenants, getCookie(c, SESSION_COOKIE));
    if (!tenant) return options.onUnauthorized(c);
    c.set("tenant", tenant);
    c.set("partner", tenant.partner);
    c.set("hospitalCode", tenant.hospitalCode);
    await next();
  };
