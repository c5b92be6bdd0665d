// The WebServices transport (§1.2): SOAP 1.1 and 1.2 at /ApiService.asmx, envelope carried as text.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { gateway, success } from "../support/gateway.js";
import {
  refDecrypt,
  refEnvelope,
  refPayloadXml,
  refReadReply,
  refReplySignatureOk,
  SEED_KEY,
} from "../support/reference.js";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const soap11 = (inner: string, op = "Invoke") =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><${op} xmlns="http://tempuri.org/"><request>${inner}</request></${op}></soap:Body></soap:Envelope>`;
const soap12 = (inner: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><Invoke xmlns="http://tempuri.org/"><request>${inner}</request></Invoke></soap12:Body></soap12:Envelope>`;

/** Unwraps <{op}Response><{op}Result>…</{op}Result></{op}Response> with an independent parser. */
function result(xml: string, op = "Invoke"): string {
  const doc = new XMLParser({ removeNSPrefix: true, parseTagValue: false }).parse(xml);
  return doc.Envelope.Body[`${op}Response`][`${op}Result`] as string;
}

const testNet = (format: "xml" | "json") =>
  refEnvelope({
    service: "TestNet",
    format,
    payload: format === "xml" ? refPayloadXml("request", { ip: "10.1.1.1" }) : '{"ip":"10.1.1.1"}',
  }).body;

describe("SOAP", () => {
  const his = () => gateway(() => success({ systemTime: "2026-11-28 10:00:00" }));

  it("SOAP 1.1 with an escaped XML envelope", async () => {
    const gw = his();
    const res = await gw.fetch("/ApiService.asmx", {
      method: "POST",
      body: soap11(escape(testNet("xml"))),
      headers: { "content-type": "text/xml; charset=utf-8", soapaction: '"http://tempuri.org/Invoke"' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/xml");
    const reply = refReadReply(result(await res.text()));
    expect(reply.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(refDecrypt(reply.responseEncrypted!, SEED_KEY)).toBe(
      "<response><systemTime><![CDATA[2026-11-28 10:00:00]]></systemTime></response>",
    );
    expect(gw.calls[0]!.body).toEqual({ ip: "10.1.1.1" });
  });

  it("SOAP 1.1 with the XML envelope in CDATA (its own CDATA ends split, as XML requires)", async () => {
    const inner = `<![CDATA[${testNet("xml").replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
    const res = await his().fetch("/ApiService.asmx", { method: "POST", body: soap11(inner) });
    expect(refReadReply(result(await res.text())).resultCode).toBe("SUCCESS");
  });

  it("SOAP 1.2 with a JSON envelope, answered as JSON inside the result", async () => {
    const res = await his().fetch("/ApiService.asmx", {
      method: "POST",
      body: soap12(escape(testNet("json"))),
      headers: { "content-type": "application/soap+xml" },
    });
    expect(res.headers.get("content-type")).toContain("application/soap+xml");
    const inner = result(await res.text());
    expect(inner.trim().startsWith("{")).toBe(true);
    expect(refReplySignatureOk(JSON.parse(inner))).toBe(true);
  });

  it("the operation name is echoed in the response element", async () => {
    const res = await his().fetch("/ApiService.asmx", {
      method: "POST",
      body: soap11(escape(testNet("xml")), "CallService"),
    });
    expect(refReadReply(result(await res.text(), "CallService")).resultCode).toBe("SUCCESS");
  });

  it("errors come back inside the SOAP result, signed", async () => {
    const bad = testNet("xml").replace(/<sign><!\[CDATA\[\w+\]\]><\/sign>/, "<sign><![CDATA[00]]></sign>");
    const res = await his().fetch("/ApiService.asmx", { method: "POST", body: soap11(escape(bad)) });
    const reply = refReadReply(result(await res.text()));
    expect(reply.resultCode).toBe("ILLEGAL_SIGN");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("a SOAP body that is not SOAP is ILLEGAL_REQUEST; an empty operation NULL_REQUEST", async () => {
    const r1 = await his().fetch("/ApiService.asmx", { method: "POST", body: "<hello/>" });
    expect(refReadReply(result(await r1.text())).resultCode).toBe("ILLEGAL_REQUEST");
    const r2 = await his().fetch("/ApiService.asmx", { method: "POST", body: soap11("") });
    expect(refReadReply(result(await r2.text())).resultCode).toBe("NULL_REQUEST");
  });

  it("a DOCTYPE in the SOAP envelope is refused", async () => {
    const body = `<!DOCTYPE x [<!ENTITY e "e">]>${soap11("&e;")}`;
    const res = await his().fetch("/ApiService.asmx", { method: "POST", body });
    expect(refReadReply(result(await res.text())).resultCode).toBe("ILLEGAL_REQUEST");
  });

  it("?wsdl describes one operation Invoke(request: string) for SOAP 1.1 and 1.2", async () => {
    const res = await his().fetch("/ApiService.asmx?wsdl");
    expect(res.status).toBe(200);
    const doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(await res.text());
    const defs = doc.definitions;
    expect(defs.portType.operation["@_name"]).toBe("Invoke");
    expect(defs.types.schema.element[0].complexType.sequence.element["@_name"]).toBe("request");
    expect(defs.types.schema.element[0].complexType.sequence.element["@_type"]).toBe("s:string");
    expect(defs.binding.map((b: Record<string, string>) => b["@_name"])).toEqual([
      "ApiServiceSoap",
      "ApiServiceSoap12",
    ]);
    expect(defs.service.port[0].address["@_location"]).toBe("https://gateway.test/ApiService.asmx");
  });

  describe("a broken SOAP request still gets a SOAP envelope (item 10)", () => {
    /** The reply as a SOAP 1.1/1.2 envelope whose one operation response is InvokeResponse. */
    async function soapReply(res: Response): Promise<Record<string, string>> {
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(res.headers.get("content-type")).toMatch(/text\/xml|application\/soap\+xml/);
      return refReadReply(result(xml));
    }

    it("two Body elements: ILLEGAL_REQUEST", async () => {
      const one = soap11(escape(testNet("xml")));
      const body = one.replace("</soap:Body>", "</soap:Body><soap:Body><Other/></soap:Body>");
      const gw = his();
      const reply = await soapReply(await gw.fetch("/ApiService.asmx", { method: "POST", body }));
      expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
      expect(gw.calls).toHaveLength(0);
    });

    it("two operations in one Body: ILLEGAL_REQUEST", async () => {
      const body = soap11(escape(testNet("xml"))).replace(
        "</soap:Body>",
        "<Invoke><request>x</request></Invoke></soap:Body>",
      );
      const reply = await soapReply(await his().fetch("/ApiService.asmx", { method: "POST", body }));
      expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
    });

    it.each(["hasOwnProperty", "toString", "__proto__"])(
      "operation %s: ILLEGAL_REQUEST, answered as InvokeResponse",
      async (op) => {
        const gw = his();
        const res = await gw.fetch("/ApiService.asmx", { method: "POST", body: soap11(escape(testNet("xml")), op) });
        const reply = await soapReply(res);
        expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
        expect(gw.calls).toHaveLength(0);
      },
    );

    it("a body that is not UTF-8: ILLEGAL_ENCODING in SOAP 1.2 when the content type says 1.2", async () => {
      const bytes = new Uint8Array([...new TextEncoder().encode(soap12("x")), 0xc0, 0xaf]);
      const res = await his().fetch("/ApiService.asmx", {
        method: "POST",
        body: bytes,
        headers: { "content-type": "application/soap+xml; charset=utf-8" },
      });
      expect(res.headers.get("content-type")).toContain("application/soap+xml");
      expect((await soapReply(res)).resultCode).toBe("ILLEGAL_ENCODING");
    });

    it("a body over MAX_BODY_BYTES: ILLEGAL_REQUEST in SOAP", async () => {
      const gw = gateway(() => success(), undefined, { MAX_BODY_BYTES: "256" });
      const body = soap11(escape(testNet("xml")));
      expect(body.length).toBeGreaterThan(256);
      const res = await gw.fetch("/ApiService.asmx", { method: "POST", body, headers: { "content-type": "text/xml" } });
      expect((await soapReply(res)).resultCode).toBe("ILLEGAL_REQUEST");
    });
  });
});
