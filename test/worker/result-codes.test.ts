// Each unified result code of §2.3 that the gateway produces, with the condition that produces it. Every reply
// is HTTP 200 and signed whenever the tenant's key is known.
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_TENANT, gateway, hisJson, post, success } from "../support/gateway.js";
import {
  refEnvelope,
  refPayloadXml,
  refReadReply,
  refReplySignatureOk,
  refSign,
  SEED_KEY,
  refParams,
  refSignedJson,
} from "../support/reference.js";

const testNet = (o: Partial<Parameters<typeof refEnvelope>[0]> = {}) =>
  refEnvelope({ service: "TestNet", format: "json", payload: '{"ip":"10.0.0.1"}', ...o }).body;

const pageQuery = (pageSize: number) =>
  refEnvelope({
    service: "GetDepartmentInfo",
    format: "xml",
    payload: refPayloadXml("request", { currentPage: "1", pageSize: String(pageSize) }),
  }).body;

async function call(
  body: string,
  opts: {
    tenants?: Record<string, unknown>[];
    his?: Parameters<typeof gateway>[0];
    headers?: Record<string, string>;
  } = {},
) {
  const department = { id: "001", name: "内科", parentId: "-1", expertise: "心血管", level: 1, status: 1 };
  const gw = gateway(
    opts.his ?? (() => success({ systemTime: "2026-11-28 10:00:00", count: 1, department: [department] })),
    opts.tenants,
  );
  const res = await gw.fetch("/wd/api", post(body, opts.headers));
  expect(res.status).toBe(200);
  return { reply: refReadReply(await res.text()), calls: gw.calls };
}

describe("unified result codes", () => {
  it("ILLEGAL_PARTNER: unknown partner (unsigned: no key is known)", async () => {
    const { reply, calls } = await call(testNet({ partner: "NOBODY" }));
    expect(reply.resultCode).toBe("ILLEGAL_PARTNER");
    expect(reply.sign).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it("ILLEGAL_PARTNER: known partner, unknown hospitalCode", async () => {
    const { reply } = await call(testNet({ hospitalCode: "99999" }));
    expect(reply.resultCode).toBe("ILLEGAL_PARTNER");
  });

  it("ILLEGAL_SIGN: a wrong signature, signed reply, HIS not called", async () => {
    const { reply, calls } = await call(testNet({ overrides: { sign: "0".repeat(32) } }));
    expect(reply.resultCode).toBe("ILLEGAL_SIGN");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it("ILLEGAL_SIGN: signed with another key", async () => {
    const { reply } = await call(testNet({ key: "ABCDEFGHIJKLMNOP" }));
    expect(reply.resultCode).toBe("ILLEGAL_SIGN");
  });

  it("ILLEGAL_SIGN: a tampered base parameter (the signature covers it)", async () => {
    const env = refEnvelope({ service: "TestNet", format: "json", payload: '{"ip":"10.0.0.1"}' });
    const tampered = JSON.stringify({ ...env.params, dataFormat: "xml" });
    const { reply } = await call(tampered);
    expect(reply.resultCode).toBe("ILLEGAL_SIGN");
  });

  it("ILLEGAL_SIGN: a GET signed for one service cannot be re-targeted to another through the query", async () => {
    const payload = JSON.stringify({ departmentId: "1", currentPage: "1", pageSize: "10" });
    const signedFor = refEnvelope({ service: "GetDoctorInfo", format: "json", payload }).params;
    const query = new URLSearchParams({ ...signedFor, service: "GetDepartmentInfo" });
    query.delete("dataFormat");
    const { sign: _s, signType: _t, service: _v, ...rest } = Object.fromEntries(query);
    const resigned = new URLSearchParams({
      ...Object.fromEntries(query),
      sign: refSign({ ...rest, service: "GetDoctorInfo" }, SEED_KEY),
    });
    const gw = gateway(() => success({ count: 0, department: [] }));
    const res = await gw.fetch(`/wd/api/GetDoctorInfo?${resigned}`);
    expect(refReadReply(await res.text()).resultCode).toBe("ILLEGAL_SIGN");
    expect(gw.calls).toHaveLength(0);
    // Correctly signed for the query's service, but the path names another: refused as well.
    const honest = new URLSearchParams({
      ...Object.fromEntries(query),
      sign: refSign({ ...rest, service: "GetDepartmentInfo" }, SEED_KEY),
    });
    const res2 = await gw.fetch(`/wd/api/GetDoctorInfo?${honest}`);
    expect(refReadReply(await res2.text()).resultCode).toBe("ILLEGAL_REQUEST");
    expect(gw.calls).toHaveLength(0);
  });

  it("ILLEGAL_SIGN_TYPE: signType is not md5", async () => {
    const { reply } = await call(testNet({ overrides: { signType: "rsa" } }));
    expect(reply.resultCode).toBe("ILLEGAL_SIGN_TYPE");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("ILLEGAL_CHARSET: inputCharset is not utf-8 (signed as sent)", async () => {
    const payload = '{"ip":"10.0.0.1"}';
    const env = refEnvelope({ service: "TestNet", format: "json", payload });
    const params: Record<string, string> = { ...env.params, inputCharset: "gbk" };
    const { sign: _s, signType: _t, ...signed } = params;
    const { reply } = await call(JSON.stringify({ ...params, sign: refSign(signed, SEED_KEY) }));
    expect(reply.resultCode).toBe("ILLEGAL_CHARSET");
  });

  it("ILLEGAL_ENCODING: the body is not UTF-8", async () => {
    const gw = gateway(() => success());
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const res = await gw.fetch("/wd/api", { method: "POST", body: bytes });
    expect(refReadReply(await res.text()).resultCode).toBe("ILLEGAL_ENCODING");
  });

  it("ILLEGAL_ENCODING: the decrypted payload is not UTF-8", async () => {
    const { createCipheriv } = await import("node:crypto");
    const c = createCipheriv("aes-128-ecb", Buffer.from(SEED_KEY), null);
    const ct = Buffer.concat([c.update(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), c.final()]).toString("base64");
    const { reply } = await call(refSignedJson(refParams({ requestEncrypted: ct })));
    expect(reply.resultCode).toBe("ILLEGAL_ENCODING");
  });

  it("ILLEGAL_SERVICE: an unknown service, correctly signed", async () => {
    const { reply } = await call(testNet({ service: "DropTables" }));
    expect(reply.resultCode).toBe("ILLEGAL_SERVICE");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("ILLEGAL_SERVICE: a hospital -> platform service sent to the hospital side", async () => {
    const { reply } = await call(testNet({ service: "RefundByHis" }));
    expect(reply.resultCode).toBe("ILLEGAL_SERVICE");
  });

  it("HAS_NO_PRIVILEGE: the service is not enabled for the tenant", async () => {
    const { reply, calls } = await call(pageQuery(10), { tenants: [{ ...DEFAULT_TENANT, services: ["TestNet"] }] });
    expect(reply.resultCode).toBe("HAS_NO_PRIVILEGE");
    expect(calls).toHaveLength(0);
  });

  it("ILLEGAL_CLIENT_IP: outside the tenant's allow-list", async () => {
    const tenants = [{ ...DEFAULT_TENANT, clientIps: ["203.0.113.0/24", "2001:db8::1"] }];
    const denied = await call(testNet(), { tenants, headers: { "cf-connecting-ip": "198.51.100.7" } });
    expect(denied.reply.resultCode).toBe("ILLEGAL_CLIENT_IP");
    expect(refReplySignatureOk(denied.reply)).toBe(true);
    const allowed = await call(testNet(), { tenants, headers: { "cf-connecting-ip": "203.0.113.9" } });
    expect(allowed.reply.resultCode).toBe("SUCCESS");
  });

  it("ILLEGAL_ENCRYPT: ciphertext that does not decrypt under the key", async () => {
    const { reply } = await call(refSignedJson(refParams({ requestEncrypted: "AAAAAAAAAAAAAAAAAAAAAA==" })));
    expect(reply.resultCode).toBe("ILLEGAL_ENCRYPT");
  });

  it("NULL_REQUEST: an empty body", async () => {
    const { reply } = await call("");
    expect(reply.resultCode).toBe("NULL_REQUEST");
  });

  it("NULL_REQUEST: an empty requestEncrypted", async () => {
    const { reply } = await call(refSignedJson(refParams({ requestEncrypted: "" })));
    expect(reply.resultCode).toBe("NULL_REQUEST");
  });

  it("ILLEGAL_REQUEST: a malformed envelope", async () => {
    const { reply } = await call("<root><service>TestNet</root>");
    expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
  });

  it("ILLEGAL_REQUEST: an authenticated envelope with a dataFormat that is neither xml nor json", async () => {
    const payload = '{"ip":"10.0.0.1"}';
    const env = refEnvelope({ service: "TestNet", format: "json", payload });
    const params: Record<string, string> = { ...env.params, dataFormat: "yaml" };
    const { sign: _s, signType: _t, ...signed } = params;
    const { reply } = await call(JSON.stringify({ ...params, sign: refSign(signed, SEED_KEY) }));
    expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
    expect(reply.resultMessage).toContain("dataFormat");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("ILLEGAL_REQUEST: a malformed business payload", async () => {
    const { reply } = await call(testNet({ payload: "<request><ip>1</request>" }));
    expect(reply.resultCode).toBe("ILLEGAL_REQUEST");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("ILLEGAL_ARGUMENT: the message names the failing fields that fit String(128), the log line every one", async () => {
    const body = refEnvelope({
      service: "OrderRegister",
      format: "xml",
      payload: refPayloadXml("request", {
        orderId: "1",
        registerDate: "2017-02-30",
        noon: "7",
        patientName: "x".repeat(17),
      }),
    }).body;
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const { reply, calls } = await call(body).finally(() => spy.mockRestore());
    expect(reply.resultCode).toBe("ILLEGAL_ARGUMENT");
    expect([...reply.resultMessage!].length).toBeLessThanOrEqual(128);
    expect(reply.resultMessage).toMatch(/^参数不正确：request\.\w+.*…\(\+\d+\)$/);
    const logged = lines.map((l) => JSON.parse(l) as { paths?: string[] }).find((l) => l.paths)!;
    for (const path of [
      "request.registerDate",
      "request.noon",
      "request.patientName",
      "request.channelId",
      "request.group",
      "request.scheduleId",
    ]) {
      expect(logged.paths).toContain(path);
    }
    expect(calls).toHaveLength(0);
  });

  it("PAGE_LIMIT: pageSize above the tenant's maxPageSize", async () => {
    const tenants = [{ ...DEFAULT_TENANT, maxPageSize: 50 }];
    expect((await call(pageQuery(51), { tenants })).reply.resultCode).toBe("PAGE_LIMIT");
    expect((await call(pageQuery(50), { tenants })).reply.resultCode).toBe("SUCCESS");
  });

  it("SESSION_TIMEOUT: the HIS does not answer in time", async () => {
    const tenants = [{ ...DEFAULT_TENANT, hisTimeoutMs: 50 }];
    const { reply } = await call(testNet(), { tenants, his: () => new Promise<Response>(() => {}) });
    expect(reply.resultCode).toBe("SESSION_TIMEOUT");
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("SYSTEM_ERROR: the HIS is unreachable", async () => {
    const { reply } = await call(testNet(), {
      his: () => {
        throw new TypeError("connection refused");
      },
    });
    expect(reply.resultCode).toBe("SYSTEM_ERROR");
    expect(reply.resultMessage).not.toMatch(/at |Error:|\.ts/);
  });

  it("SYSTEM_ERROR: the HIS answers 5xx", async () => {
    const { reply } = await call(testNet(), { his: () => new Response("oops", { status: 503 }) });
    expect(reply.resultCode).toBe("SYSTEM_ERROR");
  });

  it("ILLEGAL_RESPONSE: the HIS answer is not JSON", async () => {
    const { reply } = await call(testNet(), { his: () => new Response("<html>proxy error</html>") });
    expect(reply.resultCode).toBe("ILLEGAL_RESPONSE");
  });

  it("ILLEGAL_RESPONSE: the HIS answer carries a __proto__ or constructor key, at any depth", async () => {
    for (const text of [
      '{"resultCode":"SUCCESS","data":{"systemTime":"2026-11-28 10:00:00","__proto__":{"admin":true}}}',
      '{"resultCode":"SUCCESS","data":{"systemTime":"2026-11-28 10:00:00","x":[{"constructor":{}}]}}',
    ]) {
      const { reply } = await call(testNet(), { his: () => new Response(text) });
      expect(reply.resultCode).toBe("ILLEGAL_RESPONSE");
      expect(reply.resultMessage).toMatch(/forbidden key (__proto__|constructor)/);
    }
  });

  it("ILLEGAL_RESPONSE: the HIS data fails the response validator (names the path)", async () => {
    const { reply } = await call(testNet(), { his: () => success({ systemTime: "yesterday" }) });
    expect(reply.resultCode).toBe("ILLEGAL_RESPONSE");
    expect(reply.resultMessage).toContain("response.systemTime");
  });

  it("NULL_RESPONSE: the HIS answers SUCCESS without data for a service that has a response", async () => {
    const { reply } = await call(testNet(), { his: () => success() });
    expect(reply.resultCode).toBe("NULL_RESPONSE");
  });

  it("NULL_RESPONSE: the HIS answers an empty body", async () => {
    const { reply } = await call(testNet(), { his: () => new Response("") });
    expect(reply.resultCode).toBe("NULL_RESPONSE");
  });

  it("ILLEGAL_SECURITY_KEY: the tenant's key is not 16 bytes (answered unsigned: the key cannot be used)", async () => {
    const tenants = [{ ...DEFAULT_TENANT, key: "short" }];
    const { reply } = await call(testNet(), { tenants });
    expect(reply.resultCode).toBe("ILLEGAL_SECURITY_KEY");
  });

  it("business codes from the HIS pass through with their message, signed", async () => {
    const { reply } = await call(pageQuery(10), {
      his: () => hisJson({ resultCode: "S05010101", resultMessage: "未查询到科室记录" }),
    });
    expect(reply).toMatchObject({ resultCode: "S05010101", resultMessage: "未查询到科室记录" });
    expect(refReplySignatureOk(reply)).toBe(true);
  });

  it("SYSTEM_ERROR without a key: TENANTS is broken (fails loudly in the log, answers unsigned)", async () => {
    const gw = gateway(() => success(), []);
    const res = await gw.fetch("/wd/api", post(testNet()));
    expect(refReadReply(await res.text()).resultCode).toBe("SYSTEM_ERROR");
  });
});
