import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, Bindings } from "../../env.js";
import { GatewayError } from "../../errors.js";

const DEFAULT_MAX_BODY = 1024 * 1024;

/** MAX_BODY_BYTES, or 1 MiB. */
export const maxBodyBytes = (env: Bindings): number => Number(env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY;

export type LimitBodyOptions = {
  /** The answer past the limit; by default a GatewayError(ILLEGAL_REQUEST) for the surface's onError. */
  onTooLarge?: (c: Context<AppEnv>) => Response | Promise<Response>;
};

/** Hono's bodyLimit with the limit read from MAX_BODY_BYTES per request. */
export const limitBody = (options: LimitBodyOptions = {}): MiddlewareHandler<AppEnv> =>
  async function limitBody(c, next) {
    const maxSize = maxBodyBytes(c.env);
    return bodyLimit({
      maxSize,
      onError:
        options.onTooLarge ??
        (() => {
          throw new GatewayError("ILLEGAL_REQUEST", `the body exceeds ${maxSize} bytes`);
        }),
    })(c, next);
  };
