import type { Context } from "hono";
import { currentKey } from "../config/keys.js";
import type { AppEnv } from "../env.js";
import { writeReply, type ReplyEnvelope } from "../protocol/reply.js";
import { soapContentType, wrapSoap, type SoapVersion } from "../protocol/soap.js";
import type { PayloadFormat } from "../protocol/text.js";
import { asGatewayError } from "./gateway-error.js";

/** How a reply goes back: in which payload format, and inside which SOAP operation's response, if any. */
export interface ReplyForm {
  format: PayloadFormat;
  soap?: { operation: string; version: SoapVersion };
}

/**
 * The one renderer of the platform's envelope routes, wrapped for SOAP callers, always HTTP 200. Signed with the
 * key that verified the request; a request refused before any key verified it gets the tenant's current key
 * (when it is usable); an unknown partner cannot be signed for.
 */
export function sendEnvelope(c: Context<AppEnv>, reply: ReplyEnvelope, form: ReplyForm): Response {
  const tenant = c.var.tenant;
  const key =
    c.var.tenantKey?.key ?? (tenant && !tenant.keyProblem ? currentKey(tenant.keys, Date.now())?.key : undefined);
  const body = writeReply(reply, form.format, key);
  c.set("resultCode", reply.resultCode);
  c.set("answeredAs", { format: form.format, soap: form.soap !== undefined });
  if (form.soap) {
    const { operation, version } = form.soap;
    return c.body(wrapSoap(body, operation, version), 200, { "content-type": soapContentType(version) });
  }
  return c.body(body, 200, {
    "content-type": form.format === "xml" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
  });
}

/** An error as the standard's reply: its result code and message, never a stack trace. */
export function errorReply(c: Context<AppEnv>, err: unknown): ReplyEnvelope {
  const error = asGatewayError(c, err);
  return { resultCode: error.resultCode, resultMessage: error.resultMessage };
}

/** Sends whatever `err` is as a signed envelope in `form`. */
export const sendEnvelopeError = (c: Context<AppEnv>, err: unknown, form: ReplyForm): Response =>
  sendEnvelope(c, errorReply(c, err), form);
