import { resultCodeMessages, type ResultCode } from "../../generated/enums.js";
import type { ValidationError } from "../../runtime/validate.js";
import { RESULT_MESSAGE_MAX } from "./protocol/result-message.js";

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

  /**
   * The seed's message for the code, followed by the specific reason, in at most 128 characters (String(128)):
   * a validation failure names as many fields as fit, then "…(+N)" for the rest. The full list stays in `detail`
   * and `errors`, which the log line carries.
   */
  get resultMessage(): string {
    const base = resultCodeMessages[this.resultCode].message;
    if (!this.detail) return base;
    const full = `${base}：${this.detail}`;
    if (!this.errors.length || [...full].length <= RESULT_MESSAGE_MAX) return full;
    const messages = this.errors.map((e) => e.message);
    // detail is "<what failed>" followed by validationDetail(errors): keep the head, fit the list.
    const joined = messages.join("；");
    let out = `${base}：${this.detail.endsWith(joined) ? this.detail.slice(0, -joined.length) : ""}`;
    let named = 0;
    for (const message of messages) {
      const next = `${named ? "；" : ""}${message}`;
      const rest = messages.length - named - 1;
      if ([...out].length + [...next].length + (rest ? `…(+${rest})`.length : 0) > RESULT_MESSAGE_MAX) break;
      out += next;
      named++;
    }
    return named === messages.length ? out : `${out}…(+${messages.length - named})`;
  }
}

/** The standard's message for SUCCESS (成功), the one spelling every success reply uses. */
export const SUCCESS_MESSAGE = resultCodeMessages.SUCCESS.message;
