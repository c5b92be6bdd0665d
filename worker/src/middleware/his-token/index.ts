import type { MiddlewareHandler } from "hono";
import { tenantSource } from "../../config/source.js";
import type { AppEnv } from "../../env.js";

export type HisTokenOptions = {
  /** Realm named in WWW-Authenticate. */
  realm?: string;
};

/**
 * Authenticates the HIS's own calls (/platform/*, /deliveries) by `Authorization: Bearer <hisToken>` and sets
 * the tenant. Hono's bearerAuth takes one fixed token list; here the token also selects the tenant.
 */
export const hisToken = (options: HisTokenOptions = {}): MiddlewareHandler<AppEnv> =>
  async function hisToken(c, next) {
    c.set("transport", { kind: "his" });
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    const tenant = token ? await tenantSource(c.env).byToken(token) : undefined;
    if (!tenant) {
      c.set("resultCode", "ILLEGAL_PARTNER");
      return c.json(
        {
          resultCode: "ILLEGAL_PARTNER",
          resultMessage: token ? "unknown hisToken" : "Authorization: Bearer <hisToken> is required",
        },
        401,
        { "www-authenticate": `Bearer realm="${options.realm ?? "hisgate"}"` },
      );
    }
    c.set("tenant", tenant);
    c.set("partner", tenant.partner);
    c.set("hospitalCode", tenant.hospitalCode);
    await next();
  };
