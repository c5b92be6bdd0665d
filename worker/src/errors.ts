import { resultCodeMessages, type ResultCode } from "../../generated/enums.js";
import type { ValidationError } from "../../runtime/validate.js";

/**
 * Every failure the gateway answers is a GatewayError carrying the standard's result code (§2.3); the one
 * app.onError turns it into a signed envelope. `detail` is safe to show the caller: it never holds key
 * material or payload values, only what was wrong and where.
 */
export class GatewayError extends Error {
  override name = "GatewayError";
  constructor(
    readonly resultCode: ResultCode,
    readonly detail?: string,
    readonly errors: readonly ValidationError[] = [],
  ) {
    super(detail ? `${resultCode}: ${detail}` : resultCode);
  }

  /** The seed's message for the code, followed by the specific reason. */
  get resultMessage(): string {
    const base = resultCodeMessages[this.resultCode].message;
    return this.detail ? `${base}：${this.detail}` : base;
  }
}

export const fail = (code: ResultCode, detail?: string): never => {
  throw new GatewayError(code, detail);
};
