import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { tenantSource } from "../../config/source.js";
import { secretsEqual } from "../../crypto/sign.js";
import type { AppEnv, Bindings } from "../../env.js";

export type HisTokenOptions = {
  /** Realm named in WWW-Authenticate. */
  realm?: string;
  /**
   * An operator's token accepted besides every tenant's hisToken (GET /metrics: METRICS_TOKEN). It selects no
   * tenant: it sets `operator`, and the route decides what an operator sees.
   */
  operatorToken?: (env: Bindings) => string | undefined;
};

const refused = (resultMessage: string) => (c: Context<AppEnv>) => {
  c.set("resultCode", "ILLEGAL_PARTNER");
  return c.json({ resultCode: "ILLEGAL_PARTNER", resultMessage }, 401);
};

/**
 * Authenticates the HIS's own calls (/platform/*, /deliveries, /messages, /metrics) by
 * `Authorization: Bearer <hisToken>`: Hono's bearerAuth, whose verifyToken also selects the tenant the token
 * belongs to.
 */
export const hisToken = (options: HisTokenOptions = {}): MiddlewareHandler<AppEnv> => {
  const required = `Authorization: Bearer <hisToken${options.operatorToken ? " or the operator's token" : ""}> is required`;
  return bearerAuth<AppEnv>({
    realm: options.realm ?? "hisgate",
    verifyToken: async (token, c) => {
      const operator = options.operatorToken?.(c.env);
      if (operator && secretsEqual(operator, token)) {
        c.set("operator", true);
        return true;
      }
      const tenant = await tenantSource(c.env).byToken(token);
      if (!tenant) return false;
      c.set("tenant", tenant);
      c.set("partner", tenant.partner);
      c.set("hospitalCode", tenant.hospitalCode);
      return true;
    },
    noAuthenticationHeader: { message: refused(required) },
    // A header that is not `Bearer <token68>` cannot carry any tenant's token (TENANTS refuses other tokens).
    invalidAuthenticationHeader: { message: refused(required) },
    invalidToken: { message: refused(options.operatorToken ? "unknown token" : "unknown hisToken") },
  });
};
