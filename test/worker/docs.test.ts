// GET /docs, GET /openapi.json and POST /docs/try, in workerd. Envelopes are checked with the independent
// reference (test/support/reference.ts), not with the worker's own helpers.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PayType, resultCodeMessages } from "../../generated/enums.js";
import openapi from "../../generated/openapi.json";
import { gateway, success, type HisCall } from "../support/gateway.js";
import { refDecrypt, refReadReply, refReplySignatureOk, refSign, SEED_KEY } from "../support/reference.js";
import type { TryResult } from "../../worker/src/docs/try.js";

const operationIds = Object.values(openapi.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));

const testNetHis = (call: HisCall): Response =>
  call.service === "TestNet" ? success({ systemTime: "2026-11-28 10:00:00" }) : success();

type TryAnswer = TryResult;

const tryBody = (overrides: Record<string, unknown> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, format: "xml", ...overrides }),
});

const sectionOf = (html: string, op: string): string => {
  const start = html.indexOf(`<section class="service`, html.indexOf(`id="svc-${op}"`) - 200);
  return html.slice(start, html.indexOf("</section>", start));
};

describe("GET /docs", () => {
  it("is one HTML page listing all 21 services of the contract, in two groups", async () => {
    const gw = gateway(testNetHis);
    const res = await gw.fetch("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(operationIds).toHaveLength(21);
    for (const op of operationIds) {
      expect(html).toContain(`id="svc-${op}"`);
      expect(html).toContain(`data-op="${op}"`);
    }
    expect(html.match(/<section class="service /g)).toHaveLength(21);
    expect(html).toContain('id="platform-to-hospital"');
    expect(html).toContain('id="hospital-to-platform"');
    // The HIS implements Pay; the hospital calls RefundByHis through hisgate.
    expect(html.indexOf('id="svc-Pay"')).toBeLessThan(html.indexOf('id="hospital-to-platform"'));
    expect(html.indexOf('id="svc-RefundByHis"')).toBeGreaterThan(html.indexOf('id="hospital-to-platform"'));
    expect(gw.calls).toHaveLength(0);
  });

  it("shows titles, fields with their constraints, dictionary labels and result codes", async () => {
    const html = await (await gateway(testNetHis).fetch("/docs")).text();
    const pay = sectionOf(html, "Pay");
    expect(pay).toContain("支付");
    expect(pay).toContain('data-field="payTime"');
    expect(pay).toContain('data-field="user[].id"');
    expect(pay).toContain("2017-02-07 10:09:57");
    expect(pay).toContain("分"); // x-unit of the fees
    // payType is a $ref to the dictionary: its values come with their labels.
    expect(pay).toContain(`<code>101</code> — ${PayType.labels["101"]}`);
    // The service's business result codes, and the unified ones once for all.
    expect(pay).toContain("<code>S02000101</code></td><td>订单不存在");
    expect(html).toContain('id="unified-codes"');
    for (const [code, m] of Object.entries(resultCodeMessages)) {
      expect(html).toContain(`<td><code>${code}</code></td><td>${m.message}</td>`);
    }
    expect(html).toContain('id="dict-PayTypeValue"');
    // Everything from the contract is escaped: the platform services' "Bearer <hisToken>".
    expect(html).toContain("Bearer &lt;hisToken&gt;");
    expect(html).not.toContain("<hisToken>");
  });

  it("sends a strict CSP: the inline script and style allowed by hash, no 'unsafe-inline'", async () => {
    const res = await gateway(testNetHis).fetch("/docs");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(csp).toMatch(new RegExp(`script-src ${hash(scripts[0]!).replace(/[+/]/g, "\\$&")}(;|$)`));
    expect(csp).toMatch(new RegExp(`style-src ${hash(styles[0]!).replace(/[+/]/g, "\\$&")}(;|$)`));
    // No inline event handlers or style attributes, which no hash could allow.
    expect(html).not.toMatch(/\son[a-z]+="/);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it("filters on the server with ?q= (the page works without JavaScript)", async () => {
    const html = await (await gateway(testNetHis).fetch("/docs?q=Pay")).text();
    expect(html).toMatch(/id="svc-Pay" data-op="Pay" data-filter="[^"]*">/);
    expect(html).toMatch(/id="svc-OrderRegister" data-op="OrderRegister" data-filter="[^"]*" hidden="">/);
    expect(html).toContain('<output id="filter-count">1 / 21</output>');
    expect(html).toContain('value="Pay"');
  });

  it("has the TestNet form with the dev tenant's defaults, and none with DOCS_TRY=off", async () => {
    const on = await (await gateway(testNetHis).fetch("/docs")).text();
    expect(on).toContain('<form id="try-form" method="post" action="/docs/try">');
    expect(on).toContain('name="partner" value="TEST_WX"');
    expect(on).toMatch(new RegExp(`name="key"[^>]* value="${SEED_KEY}"`));
    const off = await (await gateway(testNetHis, undefined, { DOCS_TRY: "off" }).fetch("/docs")).text();
    expect(off).not.toContain('id="try-form"');
    expect(off).toContain("DOCS_TRY=off");
  });
});

describe("GET /openapi.json", () => {
  it("is generated/openapi.json", async () => {
    const res = await gateway(testNetHis).fetch("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(openapi);
  });
});

describe("POST /docs/try", () => {
  for (const format of ["xml", "json"] as const) {
    it(`sends a signed TestNet (${format}) through /wd/api and opens the signed reply`, async () => {
      const gw = gateway(testNetHis);
      const res = await gw.fetch("/docs/try", tryBody({ format }));
      expect(res.status).toBe(200);
      const r = (await res.json()) as TryAnswer;
      expect(r).toMatchObject({ httpStatus: 200, resultCode: "SUCCESS", resultMessage: "成功", signatureValid: true });
      expect(r.payload).toEqual({ systemTime: "2026-11-28 10:00:00" });
      expect(r.decryptedPayload).toContain("2026-11-28 10:00:00");
      expect(gw.calls.map((c) => c.service)).toEqual(["TestNet"]);
      expect(gw.calls[0]!.body).toEqual({ ip: expect.any(String) });

      // The request envelope, as the reference signs it.
      const sent = refReadReply(r.requestEnvelope);
      const { sign, signType, ...signed } = sent;
      expect(signType).toBe("md5");
      expect(sign).toBe(refSign(signed, SEED_KEY));
      expect(sent).toMatchObject({ service: "TestNet", partner: "TEST_WX", hospitalCode: "0", dataFormat: format });
      expect(refDecrypt(sent.requestEncrypted!, SEED_KEY)).toBe(r.requestPayload);
      // The reply envelope, as the reference reads it.
      const reply = refReadReply(r.replyEnvelope);
      expect(refReplySignatureOk(reply)).toBe(true);
      expect(refDecrypt(reply.responseEncrypted!, SEED_KEY)).toBe(r.decryptedPayload);
      if (format === "xml") expect(r.replyEnvelope.trimStart().startsWith("<")).toBe(true);
      else expect(JSON.parse(r.replyEnvelope)).toMatchObject({ resultCode: "SUCCESS" });
    });
  }

  it("shows a reply that does not verify under a wrong key as such", async () => {
    const r = (await (
      await gateway(testNetHis).fetch("/docs/try", tryBody({ key: "0123456789ABCDEF" }))
    ).json()) as TryAnswer;
    expect(r.resultCode).toBe("ILLEGAL_SIGN");
    expect(r.signatureValid).toBe(false);
    expect(r.payload).toBeNull();
  });

  it("passes the HIS's business answer through", async () => {
    const his = () => new Response(JSON.stringify({ resultCode: "SYSTEM_ERROR", resultMessage: "维护中" }));
    const r = (await (await gateway(his).fetch("/docs/try", tryBody())).json()) as TryAnswer;
    expect(r).toMatchObject({ resultCode: "SYSTEM_ERROR", resultMessage: "维护中", signatureValid: true });
    expect(r.decryptedPayload).toBeNull();
  });

  it.each([
    { name: "a short key", body: tryBody({ key: "short" }).body, error: "key: 16 bytes (AES-128)" },
    { name: "an empty partner", body: tryBody({ partner: "" }).body, error: "partner: 1 to 32 characters" },
    {
      name: "a hospitalCode over 64 characters",
      body: tryBody({ hospitalCode: "1".repeat(65) }).body,
      error: "hospitalCode: 1 to 64 characters",
    },
    { name: "another format", body: tryBody({ format: "soap" }).body, error: 'format: "xml" or "json"' },
    { name: "a body that is not JSON", body: "{", error: "the body must be a JSON object" },
    { name: "a JSON array", body: "[1]", error: "the body must be an object" },
  ])("refuses $name with 400 and says why", async ({ body, error }) => {
    const gw = gateway(testNetHis);
    const res = await gw.fetch("/docs/try", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
    expect(gw.calls).toHaveLength(0);
  });

  it("refuses the form without JavaScript on its page, saying why and keeping what was typed", async () => {
    const gw = gateway(testNetHis);
    const res = await gw.fetch("/docs/try", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ partner: "MY_PARTNER", hospitalCode: "0", key: "short", format: "json" }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("key: 16 bytes (AES-128)");
    expect(html).toContain('name="partner" value="MY_PARTNER"');
    expect(gw.calls).toHaveLength(0);
  });

  it("answers the form without JavaScript (urlencoded) with an HTML page", async () => {
    const gw = gateway(testNetHis);
    const res = await gw.fetch("/docs/try", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, format: "json" }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain("resultCode SUCCESS");
    expect(html).toContain("signature valid");
    expect(html).toContain("2026-11-28 10:00:00");
  });

  it("is 404 with DOCS_TRY=off", async () => {
    const gw = gateway(testNetHis, undefined, { DOCS_TRY: "off" });
    const res = await gw.fetch("/docs/try", tryBody());
    expect(res.status).toBe(404);
    expect(gw.calls).toHaveLength(0);
  });
});
