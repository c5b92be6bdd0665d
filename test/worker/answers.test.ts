// What goes back out: every resultMessage fits String(128) and holds only characters XML 1.0 can carry, a field
// that cannot be written as XML is refused naming it, and HIS and platform answers are read with a size cap.
import { XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_TENANT, gateway, hisJson, post, success } from "../support/gateway.js";
import { logged } from "../support/logged.js";
import { refEnvelope, refReadReply, refReplySignatureOk } from "../support/reference.js";

const testNet = (format: "xml" | "json" = "xml", payload?: string) =>
  refEnvelope({
    service: "TestNet",
    format,
    payload: payload ?? (format === "xml" ? "<request><ip><![CDATA[10.1.1.1]]></ip></request>" : '{"ip":"10.1.1.1"}'),
  }).body;

const codePoints = (s: string) => [...s].length;

afterEach(() => vi.restoreAllMocks());

async function roundTrip(his: () => Response, body = testNet(), extra: Record<string, unknown> = {}, tenant = {}) {
  const gw = gateway(his, [{ ...DEFAULT_TENANT, ...tenant }], extra);
  const text = await (await gw.fetch("/wd/api", post(body))).text();
  return { text, reply: refReadReply(text) };
}

describe("characters XML 1.0 cannot carry (item 4)", () => {
  it("in an HIS field: ILLEGAL_RESPONSE naming the field, the reply well-formed", async () => {
    const department = { id: "001", name: "内科\u0001", parentId: "-1", expertise: "-", level: 1, status: 1 };
    const body = refEnvelope({
      service: "GetDepartmentInfo",
      format: "xml",
      payload: "<request><currentPage>1</currentPage><pageSize>10</pageSize></request>",
    }).body;
    const { text, reply } = await roundTrip(() => success({ count: 1, department: [department] }), body);
    expect(XMLValidator.validate(text)).toBe(true);
    expect(reply.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(reply.resultMessage).toContain("response.department[0].name");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("in an HIS resultMessage: removed, the reply well-formed and signed over what it says", async () => {
    for (const format of ["xml", "json"] as const) {
      const { text, reply } = await roundTrip(
        () => hisJson({ resultCode: "S01000101", resultMessage: "号源\u0000已\u0007满\u001f\uFFFE，\t请改约" }),
        testNet(format),
      );
      if (format === "xml") expect(XMLValidator.validate(text)).toBe(true);
      expect(reply.resultCode).toBe("S01000101");
      expect(reply.resultMessage).toBe("号源已满，\t请改约");
      expect(refReplySignatureOk(reply)).toBe(true);
    }
  });

  it("in a SOAP reply: the SOAP envelope stays well-formed", async () => {
    const gw = gateway(() => hisJson({ resultCode: "S01000101", resultMessage: "x\u0001y" }));
    const inner = testNet().replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const res = await gw.fetch("/ApiService.asmx", {
      method: "POST",
      body: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Invoke xmlns="http://tempuri.org/"><request>${inner}</request></Invoke></soap:Body></soap:Envelope>`,
    });
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain("xy");
  });

  it.each([
    ["JSON", "json", '{"ip":"10.1.1.1\\u0001"}'],
    ["XML", "xml", "<request><ip><![CDATA[10.1.\u00021.1]]></ip></request>"],
  ] as const)("in a %s request field: ILLEGAL_ARGUMENT naming it, the HIS not called", async (_n, format, payload) => {
    const gw = gateway(() => success({ systemTime: "2026-11-28 10:00:00" }));
    const reply = refReadReply(await (await gw.fetch("/wd/api", post(testNet(format, payload)))).text());
    expect(reply.resultCode).toBe("ILLEGAL_ARGUMENT");
    expect(reply.resultMessage).toContain("request.ip");
    expect(gw.calls).toHaveLength(0);
  });
});

describe("resultMessage is at most 128 characters (item 7)", () => {
  it("an HIS message of 10,000 characters is cut, and signed as cut", async () => {
    const { reply } = await roundTrip(() => hisJson({ resultCode: "S01000101", resultMessage: "满".repeat(10_000) }));
    expect(codePoints(reply.resultMessage!)).toBeLessThanOrEqual(128);
    expect(reply.resultMessage!.startsWith("满".repeat(100))).toBe(true);
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("ILLEGAL_ARGUMENT names as many paths as fit, then …(+N); the log keeps them all", async () => {
    let reply: Record<string, string> = {};
    const log = await logged(async () => {
      const gw = gateway(() => success());
      const body = refEnvelope({ service: "OrderRegister", format: "json", payload: "{}" }).body;
      reply = refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
    });
    expect(reply.resultCode).toBe("ILLEGAL_ARGUMENT");
    expect(codePoints(reply.resultMessage!)).toBeLessThanOrEqual(128);
    const more = /…\(\+(\d+)\)$/.exec(reply.resultMessage!);
    expect(more).not.toBeNull();
    const named = reply.resultMessage!.match(/request\.\w+/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    const line = JSON.parse(log.split("\n").find((l) => l.includes('"paths"'))!) as { paths: string[] };
    expect(line.paths.length).toBe(named.length + Number(more![1]));
    expect(refReplySignatureOk(reply)).toBe(true);
  });
});

describe("answers are read with a cap (item 8)", () => {
  const endless = () =>
    new Response(
      new ReadableStream({
        pull(controller) {
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        },
      }),
    );

  it("an HIS answer that never ends is ILLEGAL_RESPONSE at MAX_ANSWER_BYTES, not a timeout", async () => {
    const { reply } = await roundTrip(endless, testNet(), { MAX_ANSWER_BYTES: "1048576" }, { hisTimeoutMs: 5000 });
    expect(reply.resultCode, reply.resultMessage).toBe("ILLEGAL_RESPONSE");
    expect(reply.resultMessage).toContain("1048576");
  });

  it("an HIS answer over the cap is refused, even a valid one", async () => {
    const big = () =>
      hisJson({
        resultCode: "SUCCESS",
        resultMessage: "成功",
        data: { systemTime: "2026-11-28 10:00:00" },
        pad: "x".repeat(70_000),
      });
    const over = await roundTrip(big, testNet(), { MAX_ANSWER_BYTES: "65536" });
    expect(over.reply.resultCode).toBe("ILLEGAL_RESPONSE");
    const under = await roundTrip(big, testNet(), { MAX_ANSWER_BYTES: "131072" });
    expect(under.reply.resultCode).toBe("SUCCESS");
  });

  it("a platform answer that never ends is ILLEGAL_RESPONSE (502), not a timeout", async () => {
    const gw = gateway(
      () => new Response(),
      [{ ...DEFAULT_TENANT, hisToken: "his-secret-1", platformService: "PLATFORM", platformTimeoutMs: 5000 }],
      { PLATFORM: { fetch: async () => endless() }, MAX_ANSWER_BYTES: "1048576" },
    );
    const res = await gw.fetch("/platform/QueryRefund", {
      method: "POST",
      body: JSON.stringify({ businessType: 1, hospitalRefundId: "HR1" }),
      headers: { authorization: "Bearer his-secret-1", "content-type": "application/json" },
    });
    const json = (await res.json()) as Record<string, unknown>;
    expect(json.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(res.status).toBe(502);
  });
});
