import { GatewayError } from "../errors.js";
import { parseXmlDocument } from "../payload/xml.js";
import { fieldOf, isObject, messageOf } from "../lib/object.js";

/** The WebServices transport of §1.2: the envelope of §1.4 travels as text inside a SOAP 1.1 or 1.2 message. */
export type SoapVersion = "1.1" | "1.2";

export const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";
// The namespace .NET's [WebService] uses unless told otherwise; the platform's WebServices clients expect it.
export const SERVICE_NS = "http://tempuri.org/";

/** SOAP 1.2 when the message names its namespace, 1.1 otherwise. */
export const soapVersionOf = (text: string): SoapVersion => (text.includes(SOAP12_NS) ? "1.2" : "1.1");

// An operation name is echoed as <{op}Response>: only a plain XML name is, never one the parser had to rename
// (fast-xml-parser renames hasOwnProperty, toString, … to __hasOwnProperty, …).
const OPERATION = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** SOAP 1.2 when the content type announces it (application/soap+xml), 1.1 otherwise: read before the body is. */
export const soapVersionOfContentType = (contentType: string | undefined): SoapVersion =>
  contentType?.includes("application/soap+xml") ? "1.2" : "1.1";

/** One SOAP call: the operation named in the Body and the envelope text it carries. */
export interface SoapCall {
  operation: string;
  envelope: string;
}

/**
 * Unwraps a SOAP message (Invoke/request, or InvokeResponse/InvokeResult on the way back): the Body's first
 * element is the operation; its first child (or the operation itself) carries the envelope as text. A Fault
 * is reported with its faultstring.
 */
export function unwrapSoap(text: string): SoapCall {
  if (text.trim() === "") throw new GatewayError("NULL_REQUEST", "empty SOAP body");
  let doc: { root: string; value: unknown };
  try {
    doc = parseXmlDocument(text, undefined, { soap: true });
  } catch (cause) {
    throw new GatewayError("ILLEGAL_REQUEST", messageOf(cause), [], { cause });
  }
  const body = doc.root === "Envelope" && isObject(doc.value) ? fieldOf(doc.value, "Body") : undefined;
  // Two Body elements (or two operations of one name) come back from the parser as an array.
  if (Array.isArray(body)) throw new GatewayError("ILLEGAL_REQUEST", "the SOAP envelope has more than one Body");
  if (!isObject(body)) throw new GatewayError("ILLEGAL_REQUEST", "not a SOAP envelope with a Body");
  const operations = Object.entries(body);
  if (operations.length > 1) throw new GatewayError("ILLEGAL_REQUEST", "the SOAP Body holds more than one operation");
  const [operation, content] = operations[0] ?? [];
  if (!operation) throw new GatewayError("NULL_REQUEST", "the SOAP Body is empty");
  if (!OPERATION.test(operation) || Array.isArray(content))
    throw new GatewayError("ILLEGAL_REQUEST", "the SOAP operation is not one this service answers");
  if (operation === "Fault") {
    const reason = isObject(content) ? (fieldOf(content, "faultstring") ?? fieldOf(content, "Reason")) : undefined;
    throw new GatewayError("ILLEGAL_REQUEST", `SOAP Fault: ${String(reason ?? "no faultstring")}`);
  }
  const inner = isObject(content) ? Object.values(content)[0] : content;
  if (typeof inner !== "string" || inner.trim() === "")
    throw new GatewayError("NULL_REQUEST", `${operation} carries no envelope`);
  return { operation, envelope: inner };
}

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A SOAP request to Invoke carrying `envelope` as text, the way the platform's WebServices clients send it. */
export function wrapSoapRequest(envelope: string, version: SoapVersion = "1.1"): string {
  const soapNs = version === "1.2" ? SOAP12_NS : SOAP11_NS;
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${soapNs}"><soap:Body>` +
    `<Invoke xmlns="${SERVICE_NS}"><request>${escapeXml(envelope)}</request></Invoke>` +
    `</soap:Body></soap:Envelope>`
  );
}

/** The SOAP response to `operation`: its <operation>Result element carries the reply envelope as text. */
export function wrapSoap(replyEnvelope: string, operation: string, version: SoapVersion): string {
  const soapNs = version === "1.2" ? SOAP12_NS : SOAP11_NS;
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${soapNs}"><soap:Body>` +
    `<${operation}Response xmlns="${SERVICE_NS}"><${operation}Result>${escapeXml(replyEnvelope)}</${operation}Result></${operation}Response>` +
    `</soap:Body></soap:Envelope>`
  );
}

export const soapContentType = (version: SoapVersion): string =>
  `${version === "1.2" ? "application/soap+xml" : "text/xml"}; charset=utf-8`;
