// A corpus of hostile and broken input. Each case gets its specific code, a signed reply where the tenant is
// known, HTTP 200, no stack trace, and the HIS is never reached.
import { createCipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import { resultCodeMessages, type ResultCode } from "../../generated/enums.js";
import { gateway, post, success } from "../support/gateway.js";
import {
  refEnvelope,
  refPayloadXml,
  refReadReply,
  refReplySignatureOk,
  SEED_KEY,
  refParams,
  refSignedJson,
} from "../support/reference.js";

const withCiphertext = (requestEncrypted: string) => refSignedJson(refParams({ dataFormat: "xml", requestEncrypted }));
const withPayload = (payload: string, service = "TestNet", format: "xml" | "json" = "xml") =>
  refEnvelope({ service, format, payload }).body;
const rawEncrypt = (bytes: Buffer, autoPadding = true) => {
  const c = createCipheriv("aes-128-ecb", Buffer.from(SEED_KEY), null);
  c.setAutoPadding(autoPadding);
  return Buffer.concat([c.update(bytes), c.final()]).toString("base64");
};

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<request><ip>&lol3;</ip></request>`;
const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request><ip>&x;</ip></request>`;
const deep = `<request>${"<a>".repeat(200)}x${"</a>".repeat(200)}</request>`;
const deepJson = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;

type Case = {
  name: string;
  body: string | Uint8Array;
  code: ResultCode;
  signed: boolean;
  /** What the resultMessage names after the code's own words: the field path, the line and column, or the refusal. */
  names: string;
};

const corpus: Case[] = [
  {
    name: "malformed envelope XML",
    body: "<root><service>x</service>",
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "malformed XML at line 1, column 1: a tag is malformed, unclosed or mismatched",
  },
  {
    name: "envelope XML with the wrong root",
    body: "<request><service>x</service></request>",
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "the root element must be <root>",
  },
  {
    name: "malformed envelope JSON",
    body: '{"service": "TestNet", ',
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "malformed JSON: unexpected end of text at line 1, column 24 (offset 23)",
  },
  {
    name: "JSON envelope that is an array",
    body: "[1,2]",
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "the body is neither an XML <root> nor a JSON object",
  },
  {
    name: "neither XML nor JSON",
    body: "service=TestNet&partner=TEST_WX",
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "the body is neither an XML <root> nor a JSON object",
  },
  {
    name: "DOCTYPE in the envelope",
    body: `<!DOCTYPE root [<!ENTITY a "b">]><root><service>&a;</service></root>`,
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "DOCTYPE is not allowed",
  },
  {
    name: "prototype key in the envelope",
    body: '{"__proto__":{"polluted":1},"partner":"TEST_WX"}',
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "forbidden key __proto__ (__proto__, constructor and prototype are refused)",
  },
  {
    name: "base param that is an object",
    body: '{"partner":{"a":1},"hospitalCode":"0"}',
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "base parameter partner must be text",
  },
  { name: "whitespace only", body: "   \r\n ", code: "NULL_REQUEST", signed: false, names: "empty body" },
  {
    name: "non-UTF-8 bytes",
    body: new Uint8Array([0x3c, 0x72, 0x6f, 0x6f, 0x74, 0x3e, 0xc0, 0xaf, 0x3c]),
    code: "ILLEGAL_ENCODING",
    signed: false,
    names: "the body is not UTF-8",
  },
  {
    name: "wrong base64",
    body: withCiphertext("not base64 at all!!"),
    code: "ILLEGAL_ENCRYPT",
    signed: true,
    names: "not base64",
  },
  {
    name: "base64 of the wrong block size",
    body: withCiphertext(Buffer.from("0123456789").toString("base64")),
    code: "ILLEGAL_ENCRYPT",
    signed: true,
    names: "ciphertext is 10 bytes, not a multiple of the 16-byte block",
  },
  {
    name: "bad padding",
    body: withCiphertext(rawEncrypt(Buffer.alloc(16, 0x41), false)),
    code: "ILLEGAL_ENCRYPT",
    signed: true,
    names: "bad padding: wrong key or corrupted ciphertext",
  },
  {
    name: "encrypted with another key",
    body: withCiphertext(Buffer.alloc(32, 7).toString("base64")),
    code: "ILLEGAL_ENCRYPT",
    signed: true,
    names: "bad padding: wrong key or corrupted ciphertext",
  },
  {
    name: "payload that is not UTF-8",
    body: withCiphertext(rawEncrypt(Buffer.from([0x3c, 0xff, 0xfe, 0x3e]))),
    code: "ILLEGAL_ENCODING",
    signed: true,
    names: "the decrypted request is not UTF-8",
  },
  {
    name: "empty payload",
    body: withCiphertext(rawEncrypt(Buffer.from("   "))),
    code: "NULL_REQUEST",
    signed: true,
    names: "the request payload is empty",
  },
  {
    name: "billion laughs",
    body: withPayload(billionLaughs),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "DOCTYPE is not allowed",
  },
  {
    name: "external entity",
    body: withPayload(xxe),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "DOCTYPE is not allowed",
  },
  {
    name: "deep XML nesting",
    body: withPayload(deep),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "XML nested deeper than 16 levels",
  },
  {
    // JSON.parse takes any depth and the forbidden-key walk is iterative: the payload reaches the validator.
    name: "deep JSON nesting",
    body: withPayload(deepJson, "TestNet", "json"),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.ip不能为空",
  },
  {
    name: "malformed payload XML",
    body: withPayload("<request><ip>1</ip>"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "malformed XML at line 1, column 1: a tag is malformed, unclosed or mismatched",
  },
  {
    name: "malformed payload JSON",
    body: withPayload('{"ip": }', "TestNet", "json"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "malformed JSON: expected a value at line 1, column 8 (offset 7)",
  },
  {
    name: "payload XML with the wrong root",
    body: withPayload("<response><ip>1</ip></response>"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "the payload's root element must be <request>",
  },
  {
    name: "payload with __proto__",
    body: withPayload('{"ip":"1","__proto__":{"x":1}}', "TestNet", "json"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "forbidden key __proto__ (__proto__, constructor and prototype are refused)",
  },
  {
    name: "payload with an escaped __proto__ key",
    body: withPayload('{"ip":"1","\\u005f_proto__":{"x":1}}', "TestNet", "json"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "forbidden key __proto__ (__proto__, constructor and prototype are refused)",
  },
  {
    // Took minutes before (a regex retry quadratic in the size); now one linear scan.
    name: "escaped quotes never closed, at the body cap",
    body: `{"a":"${'\\"'.repeat(520_000)}`,
    code: "ILLEGAL_REQUEST",
    signed: false,
    names: "malformed JSON: unexpected end of text at line 1, column 1040007 (offset 1040006)",
  },
  {
    name: "payload with constructor",
    body: withPayload('{"ip":"1","constructor":{"prototype":{}}}', "TestNet", "json"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "forbidden key constructor (__proto__, constructor and prototype are refused)",
  },
  {
    name: "payload XML element __proto__",
    body: withPayload("<request><ip>1</ip><__proto__><x>1</x></__proto__></request>"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "forbidden element __proto__ (__proto__, constructor and prototype are refused)",
  },
  {
    name: "payload that is a JSON string",
    body: withPayload('"hello"', "TestNet", "json"),
    code: "ILLEGAL_REQUEST",
    signed: true,
    names: "the request payload is neither XML nor JSON",
  },
  {
    name: "over-length field",
    body: withPayload(refPayloadXml("request", { ip: "1".repeat(17) })),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.ip长度不能超过16",
  },
  {
    name: "invalid date 2017-02-30",
    body: withPayload(refPayloadXml("request", { startDate: "2017-02-30", endDate: "2017-03-01" }), "GetStatement"),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.startDate格式应为YYYY-MM-DD",
  },
  {
    name: "29 February of a common year",
    body: withPayload(refPayloadXml("request", { startDate: "2019-02-29", endDate: "2019-03-01" }), "GetStatement"),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.startDate格式应为YYYY-MM-DD",
  },
  {
    name: "Int that is not a number",
    body: withPayload(refPayloadXml("request", { currentPage: "one", pageSize: "10" }), "GetDepartmentInfo"),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.currentPage应为整数",
  },
  {
    name: "Int beyond 32 bits",
    body: withPayload(refPayloadXml("request", { currentPage: "99999999999", pageSize: "10" }), "GetDepartmentInfo"),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.currentPage应为整数",
  },
  {
    name: "list item that is text",
    body: withPayload('{"user":["a"]}', "GetPatientInfo", "json"),
    code: "ILLEGAL_ARGUMENT",
    signed: true,
    names: "request.user[0]应为对象",
  },
];

describe("bad input corpus", () => {
  it.each(corpus)("$name -> $code: $names", async ({ body, code, signed, names }) => {
    const gw = gateway(() => success({ systemTime: "2026-11-28 10:00:00" }));
    const res = await gw.fetch("/wd/api", { method: "POST", body });
    expect(res.status).toBe(200);
    const text = await res.text();
    const reply = refReadReply(text);
    expect(reply.resultCode, reply.resultMessage).toBe(code);
    expect(reply.resultMessage).toBe(`${resultCodeMessages[code].message}：${names}`);
    expect(refReplySignatureOk(reply)).toBe(signed);
    expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
    expect(gw.calls).toHaveLength(0);
  });

  it("prototype pollution never reaches Object.prototype", async () => {
    const gw = gateway(() => success({ systemTime: "2026-11-28 10:00:00" }));
    await gw.fetch("/wd/api", post(withPayload('{"ip":"1","__proto__":{"polluted":true}}', "TestNet", "json")));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a body over the size limit is refused before it is read whole", async () => {
    const gw = gateway(() => success(), undefined, { MAX_BODY_BYTES: "1024" });
    const res = await gw.fetch("/wd/api", post(`{"service":"${"x".repeat(4096)}"}`, { "content-length": "4110" }));
    expect(refReadReply(await res.text()).resultCode).toBe("ILLEGAL_REQUEST");
  });

  it("an oversized body on the HIS's own endpoints (/platform, /deliveries) is 413 in their JSON, token or not", async () => {
    const gw = gateway(() => success(), undefined, { MAX_BODY_BYTES: "1024" });
    const big = JSON.stringify({ orderId: "x".repeat(4096) });
    for (const path of ["/platform/QueryRefund", "/deliveries/NotifyRefund%3A1/replay"])
      for (const headers of [{}, { authorization: "Bearer his-token-0" }] as Record<string, string>[]) {
        const res = await gw.fetch(path, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: big,
        });
        expect(res.status, path).toBe(413);
        const body = (await res.json()) as { resultCode: string; resultMessage: string };
        expect(body.resultCode, path).toBe("ILLEGAL_REQUEST");
        expect(body.resultMessage, path).toMatch(/1024/);
      }
    expect(gw.calls).toHaveLength(0);
  });
});
