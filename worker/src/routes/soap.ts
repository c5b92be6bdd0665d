import { Hono, type MiddlewareHandler } from "hono";
import { readEnvelopeBody, replyFormatOf, sniff } from "../envelope/read.js";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { parseXmlDocument } from "../payload/xml.js";
import { respond } from "../respond.js";
import { handlePlatformEnvelope } from "../spi/handle.js";
import { readUtf8 } from "./spi.js";

const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
// The namespace .NET's [WebService] uses unless told otherwise; the platform's WebServices clients expect it.
const SERVICE_NS = "http://tempuri.org/";

function wsdl(location: string): string {
  const op = (binding: string, prefix: string) => `
  <wsdl:binding name="${binding}" type="tns:ApiServiceSoap">
    <${prefix}:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Invoke">
      <${prefix}:operation soapAction="${SERVICE_NS}Invoke" style="document"/>
      <wsdl:input><${prefix}:body use="literal"/></wsdl:input>
      <wsdl:output><${prefix}:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="${SERVICE_NS}" targetNamespace="${SERVICE_NS}">
  <wsdl:documentation>hisgate: the platform-to-hospital interface over SOAP. Invoke takes the XML or JSON envelope of §1.4 as text and returns the reply envelope as text.</wsdl:documentation>
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${SERVICE_NS}">
      <s:element name="Invoke"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="request" type="s:string"/></s:sequence></s:complexType></s:element>
      <s:element name="InvokeResponse"><s:complexType><s:sequence><s:element minOccurs="0" maxOccurs="1" name="InvokeResult" type="s:string"/></s:sequence></s:complexType></s:element>
    </s:schema>
  </wsdl:types>
  <wsdl:message name="InvokeSoapIn"><wsdl:part name="parameters" element="tns:Invoke"/></wsdl:message>
  <wsdl:message name="InvokeSoapOut"><wsdl:part name="parameters" element="tns:InvokeResponse"/></wsdl:message>
  <wsdl:portType name="ApiServiceSoap">
    <wsdl:operation name="Invoke"><wsdl:input message="tns:InvokeSoapIn"/><wsdl:output message="tns:InvokeSoapOut"/></wsdl:operation>
  </wsdl:portType>${op("ApiServiceSoap", "soap")}${op("ApiServiceSoap12", "soap12")}
  <wsdl:service name="ApiService">
    <wsdl:port name="ApiServiceSoap" binding="tns:ApiServiceSoap"><soap:address location="${location}"/></wsdl:port>
    <wsdl:port name="ApiServiceSoap12" binding="tns:ApiServiceSoap12"><soap12:address location="${location}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

// An operation name is echoed as <{op}Response>: only a plain XML name is, never one the parser had to rename
// (fast-xml-parser renames hasOwnProperty, toString, … to __hasOwnProperty, …).
const OPERATION = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Registered before the body limit: whatever happens to a POST here from the first byte on (a body too large,
 * not UTF-8, not SOAP) is answered as a SOAP envelope, in the version the content type announces.
 */
export const soapTransport: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "POST") {
    const version = c.req.header("content-type")?.includes("application/soap+xml") ? "1.2" : "1.1";
    c.set("replyFormat", "xml");
    c.set("transport", { kind: "soap", operation: "Invoke", version, namespace: SERVICE_NS });
  }
  await next();
};

/** The WebServices transport of §1.2: SOAP 1.1 and 1.2 at /ApiService.asmx. */
export const soapRoutes = new Hono<AppEnv>()
  .get("/ApiService.asmx", (c) => {
    const url = new URL(c.req.url);
    if (![...url.searchParams.keys()].some((k) => k.toLowerCase() === "wsdl")) {
      return c.text("hisgate ApiService: POST a SOAP 1.1 or 1.2 envelope; ?wsdl describes it.", 200);
    }
    return c.body(wsdl(`${url.origin}${url.pathname}`), 200, { "content-type": "text/xml; charset=utf-8" });
  })
  .post("/ApiService.asmx", async (c) => {
    const text = await readUtf8(c.req.raw);
    const version = text.includes(SOAP12) ? "1.2" : "1.1";
    c.set("transport", { kind: "soap", operation: "Invoke", version, namespace: SERVICE_NS });
    if (text.trim() === "") throw new GatewayError("NULL_REQUEST", "empty SOAP body");
    let doc: { root: string; value: unknown };
    try {
      doc = parseXmlDocument(text, undefined, { soap: true });
    } catch (err) {
      throw new GatewayError("ILLEGAL_REQUEST", (err as Error).message);
    }
    const body = doc.root === "Envelope" ? (doc.value as Record<string, unknown> | undefined)?.Body : undefined;
    // Two Body elements (or two operations of one name) come back from the parser as an array.
    if (Array.isArray(body)) throw new GatewayError("ILLEGAL_REQUEST", "the SOAP envelope has more than one Body");
    if (typeof body !== "object" || body === null)
      throw new GatewayError("ILLEGAL_REQUEST", "not a SOAP envelope with a Body");
    const operations = Object.entries(body);
    if (operations.length > 1) throw new GatewayError("ILLEGAL_REQUEST", "the SOAP Body holds more than one operation");
    const [operation, content] = operations[0] ?? [];
    if (!operation) throw new GatewayError("NULL_REQUEST", "the SOAP Body is empty");
    if (!OPERATION.test(operation) || Array.isArray(content))
      throw new GatewayError("ILLEGAL_REQUEST", "the SOAP operation is not one this service answers");
    c.set("transport", { kind: "soap", operation, version, namespace: SERVICE_NS });
    // The operation's first child carries the envelope as text (or the operation itself does).
    const inner = typeof content === "object" && content !== null ? Object.values(content)[0] : content;
    if (typeof inner !== "string" || inner.trim() === "")
      throw new GatewayError("NULL_REQUEST", `${operation} carries no envelope`);
    c.set("replyFormat", sniff(inner) ?? "xml");
    const envelope = readEnvelopeBody(inner);
    c.set("replyFormat", replyFormatOf(envelope));
    return respond(c, await handlePlatformEnvelope(c, envelope));
  });
