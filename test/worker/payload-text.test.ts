// What the text of a payload becomes: XML entities decoded as XML defines them (and signatures computed over the
// decoded text), one root only, and never any of it in an error message or a log line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_TENANT, gateway, post, success } from "../support/gateway.js";
import { logged } from "../support/logged.js";
import { refEnvelope, refReadReply, refReplySignatureOk, refSign, SEED_KEY } from "../support/reference.js";

const testNet = (payload: string, format: "xml" | "json" = "xml") =>
  refEnvelope({ service: "TestNet", format, payload }).body;

async function send(body: string) {
  const gw = gateway(() => success({ systemTime: "2026-11-28 10:00:00" }));
  const reply = refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
  return { reply, calls: gw.calls };
}

/** The HIS calls the platform through /platform/QueryRefund; the platform answers with `platformReply`. */
async function queryRefund(body: string, platformReply?: string, tenant: Record<string, unknown> = {}) {
  const PLATFORM = { fetch: async () => new Response(platformReply) };
  const gw = gateway(
    () => new Response(),
    [{ ...DEFAULT_TENANT, hisToken: "his-secret-1", platformService: "PLATFORM", ...tenant }],
    platformReply === undefined ? {} : { PLATFORM },
  );
  const res = await gw.fetch("/platform/QueryRefund", {
    method: "POST",
    body,
    headers: { authorization: "Bearer his-secret-1", "content-type": "application/json" },
  });
  return (await res.json()) as Record<string, unknown>;
}

afterEach(() => vi.restoreAllMocks());

describe("XML entities (item 5)", () => {
  it("the five predefined entities and numeric references reach the HIS decoded", async () => {
    const { reply, calls } = await send(testNet("<request><ip>1&amp;2&lt;&#51;&#x34;</ip></request>"));
    expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
    expect(calls[0]!.body).toEqual({ ip: "1&2<34" });
  });

  it("CDATA is text as it stands", async () => {
    const { calls } = await send(testNet("<request><ip><![CDATA[1&amp;2]]></ip></request>"));
    expect(calls[0]!.body).toEqual({ ip: "1&amp;2" });
  });

  it("length is checked on the decoded text", async () => {
    // 16 characters once decoded (String(16)), 80 as written.
    const { reply } = await send(testNet(`<request><ip>${"&amp;".repeat(16)}</ip></request>`));
    expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
  });

  it("an envelope param written with references is verified over its decoded text", async () => {
    const { params } = refEnvelope({ service: "TestNet", format: "xml", payload: "<request><ip>1</ip></request>" });
    // Signed over partner=TEST_WX, sent as TEST&#95;WX (not CDATA): a peer's XML writer may escape any character.
    const body = `<?xml version="1.0" encoding="utf-8"?><root>${Object.entries(params)
      .map(([k, v]) => `<${k}>${k === "partner" ? "TEST&#95;WX" : v}</${k}>`)
      .join("")}</root>`;
    const { reply } = await send(body);
    expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("a DOCTYPE is still refused", async () => {
    const { reply, calls } = await send(testNet('<!DOCTYPE r [<!ENTITY a "1">]><request><ip>&a;</ip></request>'));
    expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
    expect(calls).toHaveLength(0);
  });
});

describe("one root element (item 16)", () => {
  it("an envelope with two roots is ILLEGAL_REQUEST", async () => {
    const { params } = refEnvelope({ service: "TestNet", format: "xml", payload: "<request><ip>1</ip></request>" });
    const root = `<root>${Object.entries(params)
      .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
      .join("")}</root>`;
    for (const body of [`${root}<root/>`, `${root}${root}`, `${root}<other/>`]) {
      const { reply, calls } = await send(body);
      expect(reply.resultCode, reply.resultMessage).toBe("ILLEGAL_REQUEST");
      expect(calls).toHaveLength(0);
    }
  });

  it("a payload with two roots is ILLEGAL_REQUEST, signed", async () => {
    const { reply, calls } = await send(testNet("<request><ip>1</ip></request><request><ip>2</ip></request>"));
    expect(reply.resultCode, reply.resultMessage).toBe("ILLEGAL_REQUEST");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(calls).toHaveLength(0);
  });
});

describe("no payload text in messages or logs (item 6)", () => {
  const ID = "610102199001011234";

  it.each([
    ["JSON", `{"ip":"1","certificateNo":'${ID}'}`, "json", /line 1, column 27 \(offset 26\)/],
    ["XML", `<request>\n<ip>1</ip><certificateNo>${ID}</certifcateNo></request>`, "xml", /line 2, column \d+/],
  ] as const)("a broken %s payload: what and where, not the text", async (_name, payload, format, where) => {
    let reply: Record<string, string> = {};
    const log = await logged(async () => {
      reply = (await send(testNet(payload, format))).reply;
    });
    expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
    expect(reply.resultMessage).toMatch(where);
    for (const text of [reply.resultMessage, log]) {
      expect(text).not.toContain(ID.slice(0, 6));
      expect(text).not.toContain("certifcateNo");
    }
  });

  it.each([
    {
      name: "a broken /platform body",
      body: `{"businessType":1,"hospitalRefundId":'${ID}'}`,
      platformReply: undefined,
      code: "ILLEGAL_REQUEST",
      where: /line 1, column 38/,
    },
    {
      name: "a broken platform reply",
      body: JSON.stringify({ businessType: 1, hospitalRefundId: "HR1" }),
      platformReply: `{"resultCode":"SUCCESS","resultMessage":'${ID}'}`,
      code: "ILLEGAL_RESPONSE",
      where: /line 1, column 41/,
    },
  ])("$name: what and where, not the text", async ({ body, platformReply, code, where }) => {
    let json: Record<string, unknown> = {};
    const log = await logged(async () => {
      json = await queryRefund(body, platformReply);
    });
    expect(json.resultCode).toBe(code);
    expect(String(json.resultMessage)).toMatch(where);
    expect(JSON.stringify(json)).not.toContain(ID.slice(0, 6));
    expect(log).not.toContain(ID.slice(0, 6));
  });
});

describe("platform replies with entities (item 5)", () => {
  it("a reply whose text holds &amp; verifies over the decoded text", async () => {
    const reply = { resultCode: "A02000201", resultMessage: "A&B <C>" };
    const sign = refSign(reply, SEED_KEY);
    const raw = `<?xml version="1.0" encoding="utf-8"?><root><resultCode>A02000201</resultCode><resultMessage>A&amp;B &lt;C&gt;</resultMessage><signType>md5</signType><sign>${sign}</sign></root>`;
    const json = await queryRefund(JSON.stringify({ businessType: 1, hospitalRefundId: "HR1" }), raw, {
      platformFormat: "xml",
    });
    expect(json).toEqual({ resultCode: "A02000201", resultMessage: "A&B <C>" });
  });
});

describe("a character reference XML 1.0 cannot carry is refused, not dropped", () => {
  it.each([
    ["&#1;", "ILLEGAL_ARGUMENT"],
    ["&#x1F;", "ILLEGAL_ARGUMENT"],
    ["&#0;", "ILLEGAL_REQUEST"],
  ])("%s in a field is %s, signed, and the HIS is not called", async (ref, code) => {
    const { reply, calls } = await send(testNet(`<request><ip>1${ref}2</ip></request>`));
    expect(reply.resultCode, reply.resultMessage).toBe(code);
    if (code === "ILLEGAL_ARGUMENT") expect(reply.resultMessage).toContain("ip");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(calls).toHaveLength(0);
  });
});
