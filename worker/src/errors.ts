import { resultCodeMessages, type ResultCode } from "../../generated/enums.js";
import type { ValidationError } from "../../runtime/validate.js";

/**
 * Every failure the gateway answers is a GatewayError carrying the standard's result code (§2.3); the surface
 * that owns the request renders it (a signed envelope for the platform, JSON with an HTTP status for the HIS).
 * `detail` is safe to show the caller: it never holds key material or payload values, only what was wrong and
 * where. `cause` keeps the underlying error for the log line, never for the caller.
 */
export class GatewayError extends Error {
  override name = "GatewayError";
  constructor(
    readonly resultCode: ResultCode,
    readonly detail?: string,
    readonly errors: readonly ValidationError[] = [],
    options?: ErrorOptions,
  ) {
    super(detail ? `${resultCode}: ${detail}` : resultCode, options);
  }

  /** The seed's message for the code, followed by the specific reason. */
  get resultMessage(): string {
    const base = resultCodeMessages[this.resultCode].message;
    return this.detail ? `${base}：${this.detail}` : base;
  }
}

/** The standard's message for SUCCESS (成功), the one spelling every success reply uses. */
export const SUCCESS_MESSAGE = resultCodeMessages.SUCCESS.message;
