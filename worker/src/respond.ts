import type { Context } from "hono";
import { currentKey } from "./config/keys.js";
import type { AppEnv } from "./env.js";
import { writeReply, type ReplyEnvelope } from "./envelope/write.js";

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Writes the envelope reply, wrapped for SOAP callers, always HTTP 200. Signed with the key that verified the
 * request; a request refused before any key verified it gets the tenant's current key (when it is usable).
 */
export function respond(c: Context<AppEnv>, reply: ReplyEnvelope): Response {
  const tenant = c.var.tenant;
  const key =
    c.var.tenantKey?.key ?? (tenant && !tenant.keyProblem ? currentKey(tenant.keys, Date.now())?.key : undefined);
  const format = c.var.replyFormat ?? "json";
  const body = writeReply(reply, format, key);
  c.set("resultCode", reply.resultCode);
  const transport = c.var.transport ?? { kind: "http" };
  if (transport.kind === "soap") {
    const { operation, version, namespace } = transport;
    const soapNs =
      version === "1.2" ? "http://www.w3.org/2003/05/soap-envelope" : "http://schemas.xmlsoap.org/soap/envelope/";
    const xml =
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${soapNs}"><soap:Body>` +
      `<${operation}Response xmlns="${namespace}"><${operation}Result>${escapeXml(body)}</${operation}Result></${operation}Response>` +
      `</soap:Body></soap:Envelope>`;
    return c.body(xml, 200, {
      "content-type": `${version === "1.2" ? "application/soap+xml" : "text/xml"}; charset=utf-8`,
    });
  }
  return c.body(body, 200, {
    "content-type": format === "xml" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
  });
}
