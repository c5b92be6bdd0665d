import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { tenantSource } from "../../config/source.js";
import type { AppEnv } from "../../env.js";

export type HisTokenOptions = {
  /** Realm named in WWW-Authenticate. */
  realm?: string;
};

const refused = (resultMessage: string) => (c: Context<AppEnv>) => {
  c.set("resultCode", "ILLEGAL_PARTNER");
  return c.json({ resultCode: "ILLEGAL_PARTNER", resultMessage }, 401);
};

/**
 * Authenticates the HIS's own calls (/platform/*, /deliveries) by `Authorization: Bearer <hisToken>`: Hono's
 * bearerAuth, whose verifyToken also selects the tenant the token belongs to.
 */
export const hisToken = (options: HisTokenOptions = {}): MiddlewareHandler<AppEnv> => {
  const auth = bearerAuth<AppEnv>({
    realm: options.realm ?? "hisgate",
    verifyToken: async (token, c) => {
      const tenant = await tenantSource(c.env).byToken(token);
      if (!tenant) return false;
      c.set("tenant", tenant);
      c.set("partner", tenant.partner);
      c.set("hospitalCode", tenant.hospitalCode);
      return true;
    },
    noAuthenticationHeader: { message: refused("Authorization: Bearer <hisToken> is required") },
    // A header that is not `Bearer <token68>` cannot carry any tenant's token (TENANTS refuses other tokens).
    invalidAuthenticationHeader: { message: refused("Authorization: Bearer <hisToken> is required") },
    invalidToken: { message: refused("unknown hisToken") },
  });
  return auth;
};
