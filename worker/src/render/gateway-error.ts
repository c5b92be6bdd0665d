import type { Context } from "hono";
import { ConfigError } from "../config/tenants.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { logInternalError } from "../log.js";

/**
 * Any error as the GatewayError a caller may see. A misconfiguration is SYSTEM_ERROR (its reason was logged as
 * config.invalid); anything else is a bug: logged here with its name and stack (source maps make it readable;
 * not its message, which may quote input) and answered SYSTEM_ERROR, never with the stack. Also fills the request log line's outcome.
 */
export function asGatewayError(c: Context<AppEnv>, err: unknown): GatewayError {
  let error: GatewayError;
  if (err instanceof GatewayError) error = err;
  else if (err instanceof ConfigError)
    error = new GatewayError("SYSTEM_ERROR", "the gateway is misconfigured", [], { cause: err });
  else {
    logInternalError(err, { requestId: c.var.requestId });
    error = new GatewayError("SYSTEM_ERROR", undefined, [], { cause: err });
  }
  c.set("resultCode", error.resultCode);
  c.set("detail", error.detail);
  if (error.errors.length)
    c.set(
      "errorPaths",
      error.errors.map((e) => e.path),
    );
  return error;
}
