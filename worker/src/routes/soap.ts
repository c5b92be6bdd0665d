import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { GatewayError } from "../errors.js";
import { limitBody, maxBodyBytes } from "../middleware/body-limit/index.js";
import { readEnvelopeBody, replyFormatOf } from "../protocol/envelope.js";
import { SERVICE_NS, soapVersionOf, soapVersionOfContentType, unwrapSoap } from "../protocol/soap.js";
import { readUtf8, sniff } from "../protocol/text.js";
import { sendEnvelope, sendEnvelopeError, type ReplyForm } from "../render/envelope.js";
import { handlePlatformEnvelope } from "../platform-to-hospital/handle.js";

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

/** Until the message names its version and operation, a failure is Invoke's, in the version the content type says. */
const invokeForm = (contentType: string | undefined): ReplyForm => ({
  format: "xml",
  soap: { operation: "Invoke", version: soapVersionOfContentType(contentType) },
});

/** The WebServices transport of §1.2: SOAP 1.1 and 1.2 at /ApiService.asmx. */
export const soapRoutes = new Hono<AppEnv>()
  .get("/ApiService.asmx", (c) => {
    const url = new URL(c.req.url);
    if (![...url.searchParams.keys()].some((k) => k.toLowerCase() === "wsdl")) {
      return c.text("hisgate ApiService: POST a SOAP 1.1 or 1.2 envelope; ?wsdl describes it.", 200);
    }
    return c.body(wsdl(`${url.origin}${url.pathname}`), 200, { "content-type": "text/xml; charset=utf-8" });
  })
  .post(
    "/ApiService.asmx",
    // Whatever happens from the first byte on (a body too large, not UTF-8, not SOAP) is answered as SOAP.
    limitBody({
      onTooLarge: (c) =>
        sendEnvelopeError(
          c,
          new GatewayError("ILLEGAL_REQUEST", `the body exceeds ${maxBodyBytes(c.env)} bytes`),
          invokeForm(c.req.header("content-type")),
        ),
    }),
    async (c) => {
      let form = invokeForm(c.req.header("content-type"));
      try {
        const text = await readUtf8(c.req.raw);
        const version = soapVersionOf(text);
        form = { format: "xml", soap: { operation: "Invoke", version } };
        const call = unwrapSoap(text);
        form = { format: sniff(call.envelope) ?? "xml", soap: { operation: call.operation, version } };
        const envelope = readEnvelopeBody(call.envelope);
        form = { ...form, format: replyFormatOf(envelope) };
        return sendEnvelope(c, await handlePlatformEnvelope(c, envelope, form.format), form);
      } catch (err) {
        return sendEnvelopeError(c, err, form);
      }
    },
  );
