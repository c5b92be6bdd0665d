import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ResultCode } from "../../../generated/enums.js";
import type { AppEnv } from "../env.js";
import { limitBody, maxBodyBytes } from "../middleware/body-limit/index.js";
import { asGatewayError } from "./gateway-error.js";

/**
 * The HTTP status of each result code on the HIS's own surfaces (/platform, /deliveries, /messages, /status,
 * /status.json, /metrics), the one table all of them answer by: what failed, in HTTP's words. The caller's fault
 * is 4xx; the gateway's configuration 500; the platform's or an upstream fault 502.
 */
export const HIS_STATUS: Record<ResultCode, ContentfulStatusCode> = {
  SUCCESS: 200,
  ILLEGAL_ARGUMENT: 400,
  ILLEGAL_REQUEST: 400,
  NULL_REQUEST: 400,
  ILLEGAL_ENCODING: 400,
  ILLEGAL_CHARSET: 400,
  PAGE_LIMIT: 400,
  ILLEGAL_PARTNER: 401,
  HAS_NO_PRIVILEGE: 403,
  ILLEGAL_CLIENT_IP: 403,
  ILLEGAL_SERVICE: 404,
  REPEAT_TRANSACTION: 409,
  ILLEGAL_SECURITY_KEY: 500,
  ILLEGAL_EXTERFACE: 500,
  SYSTEM_ERROR: 502,
  ILLEGAL_SIGN: 502,
  ILLEGAL_SIGN_TYPE: 502,
  ILLEGAL_ENCRYPT: 502,
  NULL_RESPONSE: 502,
  ILLEGAL_RESPONSE: 502,
  SESSION_TIMEOUT: 504,
};

/** Plain JSON {resultCode, resultMessage} with the status that says what failed. */
export function sendHisJson(c: Context<AppEnv>, resultCode: ResultCode, resultMessage: string, extra = {}): Response {
  c.set("resultCode", resultCode);
  return c.json({ resultCode, resultMessage, ...extra }, HIS_STATUS[resultCode]);
}

/** onError of the HIS's sub-apps: every field error listed, never a stack trace. */
export const hisJsonError: ErrorHandler<AppEnv> = (err, c) => {
  // bearerAuth's refusals carry their finished 401.
  if (err instanceof HTTPException) return err.getResponse();
  const error = asGatewayError(c, err);
  return sendHisJson(
    c,
    error.resultCode,
    error.resultMessage,
    error.errors.length
      ? { errors: error.errors.map(({ path, message, messageEn }) => ({ path, message, messageEn })) }
      : {},
  );
};

/** MAX_BODY_BYTES on the HIS's surfaces: 413 in their own format, before the token is even looked at. */
export const hisBodyLimit = (): MiddlewareHandler<AppEnv> =>
  limitBody({
    onTooLarge: (c) => {
      c.set("resultCode", "ILLEGAL_REQUEST");
      return c.json(
        { resultCode: "ILLEGAL_REQUEST", resultMessage: `the body exceeds ${maxBodyBytes(c.env)} bytes` },
        413,
      );
    },
  });
