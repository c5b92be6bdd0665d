// Hospital -> platform (§2.2): the HIS posts plain JSON to /platform/{service}; the gateway speaks the envelope.
// The platform is a signing peer written here, independently of the worker.
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { DEFAULT_TENANT, gateway } from "../support/gateway.js";
import {
  refDecrypt,
  refEncrypt,
  refPayloadXml,
  refReadReply,
  refSign,
  SEED_KEY,
  type Wire,
} from "../support/reference.js";
import { specService, toWireText, typedSample } from "../support/samples.js";

interface Received {
  params: Record<string, string>;
  payload: string;
}

type PlatformAnswer = { resultCode: string; resultMessage: string; data?: Wire } | { raw: string } | "hang" | "network";

/** A platform peer: verifies the envelope, decrypts the payload, answers with a signed reply in the same format. */
function platformPeer(answer: (r: Received) => PlatformAnswer, opts: { badSign?: boolean } = {}) {
  const received: Received[] = [];
  let attempts = 0;
  const PLATFORM = {
    async fetch(input: Request | string, init?: RequestInit): Promise<Response> {
      attempts++;
      const req = new Request(input, init);
      const params = refReadReply(await req.text());
      const { sign, signType, ...signed } = params;
      if (signType !== "md5" || sign !== refSign(signed, SEED_KEY))
        return new Response(JSON.stringify({ resultCode: "ILLEGAL_SIGN", resultMessage: "bad" }));
      const r = { params, payload: refDecrypt(params.requestEncrypted!, SEED_KEY) };
      received.push(r);
      const a = answer(r);
      if (a === "hang") return new Promise<Response>(() => {});
      if (a === "network") throw new TypeError("network connection lost");
      if ("raw" in a) return new Response(a.raw);
      const format = params.dataFormat;
      const reply: Record<string, string> = { resultCode: a.resultCode, resultMessage: a.resultMessage };
      if (a.data)
        reply.responseEncrypted = refEncrypt(
          format === "xml" ? refPayloadXml("response", a.data) : JSON.stringify(a.data),
          SEED_KEY,
        );
      const s = opts.badSign ? "0".repeat(32) : refSign(reply, SEED_KEY);
      const full = { ...reply, signType: "md5", sign: s };
      const body =
        format === "xml"
          ? `<?xml version="1.0" encoding="utf-8"?><root>${Object.entries(full)
              .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
              .join("")}</root>`
          : JSON.stringify(full);
      return new Response(body);
    },
  };
  return { PLATFORM, received, attempts: () => attempts };
}

const tenant = (format: "json" | "xml", extra: Record<string, unknown> = {}) => [
  {
    ...DEFAULT_TENANT,
    hisToken: "his-secret-1",
    platformUrl: "https://platform.test/wd/api",
    platformService: "PLATFORM",
    platformFormat: format,
    ...extra,
  },
  { ...DEFAULT_TENANT, hospitalCode: "43010001", hisToken: "his-secret-2", platformService: "PLATFORM" },
];

async function callPlatform(
  service: string,
  body: unknown,
  peer: ReturnType<typeof platformPeer>,
  format: "json" | "xml" = "json",
  token = "his-secret-1",
  extra = {},
) {
  const gw = gateway(() => new Response("unused"), tenant(format, extra), { PLATFORM: peer.PLATFORM });
  const res = await gw.fetch(`/platform/${service}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A valid RefundByHis request, for the fault cases. */
const REFUND_BY_HIS = {
  businessType: 1,
  refundFlag: 1,
  callback: 0,
  orderId: "O1",
  hospitalOrderId: "H1",
  hospitalRefundId: "HR1",
  refundTime: "2017-02-07 14:54:24",
  totalFee: 100,
  refundFee: 100,
  reason: "退号",
};

const FIVE = ["RefundByHis", "QueryRefund", "DownloadStatement", "StopRegister", "NotifyRegisterByHis"];

describe("hospital -> platform", () => {
  describe.each(
    FIVE.flatMap((name) => (["json", "xml"] as const).map((format) => ({ name, format, label: `${name} ${format}` }))),
  )("$label", ({ name, format }) => {
    it("signs, encrypts, sends the wire name, verifies and decrypts the answer", async () => {
      const spec = specService(name);
      const request = typedSample(spec.request.fields as never);
      const data = spec.response ? typedSample(spec.response.fields as never) : undefined;
      if (name === "DownloadStatement")
        (data as Record<string, unknown>).statement =
          "'交易时间','业务平台流水'\r\n'2017-02-07 10:09:57','PAY1'\r\n'2017-02-07 11:00:00','PAY2'";
      const peer = platformPeer(() => ({
        resultCode: "SUCCESS",
        resultMessage: "成功",
        ...(data ? { data: toWireText(data) } : {}),
      }));
      const { status, json } = await callPlatform(name, request, peer, format);
      expect(status).toBe(200);
      expect(json.resultCode).toBe("SUCCESS");
      // XML normalizes \r\n to \n in text (XML 1.0 §2.11); statementRows below is the format-independent reading.
      const expected =
        name === "DownloadStatement" && format === "xml"
          ? { statement: (data!.statement as string).replaceAll("\r\n", "\n") }
          : data;
      expect(json.data).toEqual(expected);
      expect(peer.received).toHaveLength(1);
      const { params, payload } = peer.received[0]!;
      expect(params.service).toBe(spec.wireName);
      expect(params).toMatchObject({
        partner: "TEST_WX",
        hospitalCode: "0",
        dataFormat: format,
        inputCharset: "utf-8",
        signType: "md5",
      });
      const sent =
        format === "json" ? JSON.parse(payload) : new XMLParser({ parseTagValue: false }).parse(payload).request;
      expect(sent).toEqual(toWireText(request));
      if (name === "DownloadStatement") {
        expect(json.statementRows).toEqual([
          { 交易时间: "2017-02-07 10:09:57", 业务平台流水: "PAY1" },
          { 交易时间: "2017-02-07 11:00:00", 业务平台流水: "PAY2" },
        ]);
      }
    });
  });

  it("DownloadStatement goes out as GetStatement", async () => {
    const peer = platformPeer(() => ({ resultCode: "A02000301", resultMessage: "无可下载的账单数据" }));
    const { json } = await callPlatform("DownloadStatement", { statementDate: "2017-02-07" }, peer);
    expect(peer.received[0]!.params.service).toBe("GetStatement");
    expect(json).toEqual({ resultCode: "A02000301", resultMessage: "无可下载的账单数据" });
  });

  it("the second tenant is chosen by its own token", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    const body = {
      departmentId: "1",
      doctorId: "2",
      date: "2017-02-08",
      noon: 1,
      reason: "停诊",
      callback: 1,
      isRefund: 0,
    };
    await callPlatform("StopRegister", body, peer, "json", "his-secret-2");
    expect(peer.received[0]!.params.hospitalCode).toBe("43010001");
  });

  it("no token or an unknown token: 401, platform not called", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    for (const token of ["", "wrong", "his-secret-1x"]) {
      const gw = gateway(() => new Response(), tenant("json"), { PLATFORM: peer.PLATFORM });
      const res = await gw.fetch("/platform/QueryRefund", {
        method: "POST",
        body: "{}",
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { resultCode: string }).resultCode).toBe("ILLEGAL_PARTNER");
    }
    expect(peer.attempts()).toBe(0);
  });

  it("a body past MAX_BODY_BYTES on /platform or /deliveries: 413 in their own format, token or not", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    const gw = gateway(() => new Response(), tenant("json"), { PLATFORM: peer.PLATFORM, MAX_BODY_BYTES: "1024" });
    const body = JSON.stringify({ businessType: 1, orderId: "x".repeat(2000) });
    for (const path of ["/platform/QueryRefund", "/deliveries/NotifyRefund%3A1/replay"])
      for (const token of ["his-secret-1", "wrong", ""]) {
        const res = await gw.fetch(path, {
          method: "POST",
          body,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        expect(res.status, `${path} ${token}`).toBe(413);
        expect(await res.json()).toEqual({
          resultCode: "ILLEGAL_REQUEST",
          resultMessage: "the body exceeds 1024 bytes",
        });
      }
    expect(peer.attempts()).toBe(0);
  });

  it("an invalid body: 400 with every field error, platform not called", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    const { status, json } = await callPlatform(
      "RefundByHis",
      { businessType: 9, refundTime: "2017-02-30 10:00:00", totalFee: "abc" },
      peer,
    );
    expect(status).toBe(400);
    expect(json.resultCode).toBe("ILLEGAL_ARGUMENT");
    const paths = (json.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "request.businessType",
        "request.refundTime",
        "request.totalFee",
        "request.orderId",
        "request.reason",
      ]),
    );
    expect(peer.attempts()).toBe(0);
  });

  it("a body that is not JSON: 400 ILLEGAL_REQUEST", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    const { status, json } = await callPlatform("QueryRefund", "{nope", peer);
    expect(status).toBe(400);
    expect(json.resultCode).toBe("ILLEGAL_REQUEST");
  });

  it("a reply with a wrong signature: ILLEGAL_SIGN, nothing in it used", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功", data: { refundId: "R-EVIL" } }), {
      badSign: true,
    });
    const { status, json } = await callPlatform("RefundByHis", REFUND_BY_HIS, peer);
    expect(status).toBe(502);
    expect(json.resultCode).toBe("ILLEGAL_SIGN");
    expect(JSON.stringify(json)).not.toContain("R-EVIL");
  });

  it("a platform that does not answer in time: SESSION_TIMEOUT", async () => {
    const peer = platformPeer(() => "hang");
    const { status, json } = await callPlatform(
      "QueryRefund",
      { businessType: 1, hospitalRefundId: "HR1" },
      peer,
      "json",
      "his-secret-1",
      { platformTimeoutMs: 50 },
    );
    expect(status).toBe(504);
    expect(json.resultCode).toBe("SESSION_TIMEOUT");
  });

  it("a business error (A02000101) passes through", async () => {
    const peer = platformPeer(() => ({ resultCode: "A02000101", resultMessage: "订单不存在" }));
    const { status, json } = await callPlatform("RefundByHis", REFUND_BY_HIS, peer);
    expect(status).toBe(200);
    expect(json).toEqual({ resultCode: "A02000101", resultMessage: "订单不存在" });
  });

  it("QueryRefund is retried once after a network error; RefundByHis never", async () => {
    let n = 0;
    const flaky = platformPeer(() =>
      n++ === 0 ? "network" : { resultCode: "A02000201", resultMessage: "订单不存在" },
    );
    const q = await callPlatform("QueryRefund", { businessType: 1, hospitalRefundId: "HR1" }, flaky);
    expect(q.json.resultCode).toBe("A02000201");
    expect(flaky.attempts()).toBe(2);

    const down = platformPeer(() => "network");
    const r = await callPlatform("RefundByHis", REFUND_BY_HIS, down);
    expect(r.json.resultCode).toBe("SYSTEM_ERROR");
    expect(down.attempts()).toBe(1);
  });

  it("a platform reply that is not an envelope: ILLEGAL_RESPONSE", async () => {
    const peer = platformPeer(() => ({ raw: "<html>502 Bad Gateway</html>" }));
    const { json } = await callPlatform("QueryRefund", { businessType: 1, hospitalRefundId: "HR1" }, peer);
    expect(json.resultCode).toBe("ILLEGAL_RESPONSE");
  });

  it("a platform -> hospital service name is refused here", async () => {
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    const { status, json } = await callPlatform("Pay", {}, peer);
    expect(status).toBe(404);
    expect(json.resultCode).toBe("ILLEGAL_SERVICE");
  });

  it("a platform that redirects: SYSTEM_ERROR with the status, the envelope not re-posted", async () => {
    // redirect.test (test/support/outbound.ts) points at an unsigned HIS echo: followed, that was ILLEGAL_SIGN.
    const peer = platformPeer(() => ({ resultCode: "SUCCESS", resultMessage: "成功" }));
    for (const status of [302, 307, 308]) {
      const { status: http, json } = await callPlatform(
        "QueryRefund",
        { businessType: 1, hospitalRefundId: "HR1" },
        peer,
        "json",
        "his-secret-1",
        {
          platformUrl: `https://redirect.test/${status}/wd/api`,
          platformService: undefined,
        },
      );
      expect(json.resultCode, String(json.resultMessage)).toBe("SYSTEM_ERROR");
      expect(json.resultMessage).toContain(`HTTP ${status}`);
      expect(json.resultMessage).not.toContain("LOCATION-SECRET");
      expect(http).toBe(502);
    }
    expect(peer.attempts()).toBe(0);
  });
});
