import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors.js";
import { soapVersionOf, unwrapSoap, wrapSoap, wrapSoapRequest } from "./soap.js";
import { decodeUtf8, sniff } from "./text.js";

const soap11 = (body: string) =>
  `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe("unwrapSoap", () => {
  it.each([
    { given: "Invoke/request", text: soap11("<Invoke><request>&lt;root/&gt;</request></Invoke>"), want: "<root/>" },
    { given: "the operation itself carries the text", text: soap11("<Invoke>{}</Invoke>"), want: "{}" },
    {
      given: "SOAP 1.2 with prefixes",
      text: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><t:Invoke xmlns:t="http://tempuri.org/"><t:request>{"a":1}</t:request></t:Invoke></s:Body></s:Envelope>`,
      want: '{"a":1}',
    },
  ])("$given", ({ text, want }) => {
    expect(unwrapSoap(text).envelope).toBe(want);
  });

  it.each([
    { given: "an empty body", text: " ", code: "NULL_REQUEST", detail: /empty SOAP body/ },
    { given: "not XML", text: "<a>", code: "ILLEGAL_REQUEST", detail: /malformed XML/ },
    { given: "no Envelope", text: "<root/>", code: "ILLEGAL_REQUEST", detail: /not a SOAP envelope/ },
    { given: "an empty Body", text: soap11(""), code: "ILLEGAL_REQUEST", detail: /not a SOAP envelope/ },
    {
      given: "an empty request",
      text: soap11("<Invoke><request></request></Invoke>"),
      code: "NULL_REQUEST",
      detail: /Invoke carries no envelope/,
    },
    {
      given: "a Fault",
      text: soap11("<Fault><faultstring>boom</faultstring></Fault>"),
      code: "ILLEGAL_REQUEST",
      detail: /SOAP Fault: boom/,
    },
  ])("$given: $code", ({ text, code, detail }) => {
    const err = (() => {
      try {
        unwrapSoap(text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).resultCode).toBe(code);
    expect((err as GatewayError).detail).toMatch(detail);
  });

  it("wrapSoap and wrapSoapRequest escape the envelope and unwrap to it again", () => {
    const envelope = `<?xml version="1.0"?><root><a><![CDATA[x & <y>]]></a></root>`;
    expect(unwrapSoap(wrapSoapRequest(envelope)).envelope).toBe(envelope);
    const response = wrapSoap(envelope, "Invoke", "1.2");
    expect(soapVersionOf(response)).toBe("1.2");
    expect(unwrapSoap(response)).toEqual({ operation: "InvokeResponse", envelope });
  });
});

describe("text", () => {
  it.each([
    { given: "<root/>", want: "xml" },
    { given: "\uFEFF \r\n{}", want: "json" },
    { given: "a=b", want: undefined },
    { given: "", want: undefined },
  ])("sniff($given) is $want", ({ given, want }) => {
    expect(sniff(given)).toBe(want);
  });

  it("decodeUtf8 refuses a lone continuation byte as ILLEGAL_ENCODING naming what was read", () => {
    expect(decodeUtf8(new TextEncoder().encode("成功"))).toBe("成功");
    expect(() => decodeUtf8(new Uint8Array([0x7b, 0x80, 0x7d]), "the decrypted request")).toThrowError(
      /ILLEGAL_ENCODING: the decrypted request is not UTF-8/,
    );
  });
});
