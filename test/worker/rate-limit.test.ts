// Per-tenant rate limits: past the limit a signed SYSTEM_ERROR naming it, no HIS call; the next window lets
// requests through again. The clock is set, never slept on.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getService, services } from "../../generated/registry.js";
import { DEFAULT_TENANT, gateway, post, success } from "../support/gateway.js";
import { refEnvelope, refPayloadXml, refReadReply, refReplySignatureOk } from "../support/reference.js";
import { specService, toWireText, typedSample } from "../support/samples.js";

const WINDOW_START = Date.parse("2026-12-25T00:00:00Z");

const testNet = (hospitalCode: string) =>
  refEnvelope({ service: "TestNet", format: "json", payload: '{"ip":"10.0.0.1"}', hospitalCode }).body;

function limited(hospitalCode: string, requests: number, periodSeconds: 10 | 60) {
  const pay = typedSample(specService("Pay").response!.fields as never);
  return gateway(
    (call) => (call.service === "Pay" ? success(pay) : success({ systemTime: "2026-12-25 08:00:00" })),
    [{ ...DEFAULT_TENANT, hospitalCode, rateLimit: { requests, periodSeconds } }],
  );
}

async function send(gw: ReturnType<typeof gateway>, body: string) {
  return refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
}

describe("rate limit", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
  afterEach(() => vi.useRealTimers());

  it("refuses the N+1th request in the window without calling the HIS, and lets it through in the next", async () => {
    vi.setSystemTime(WINDOW_START);
    const gw = limited("RL-3-10", 3, 10);
    for (let i = 0; i < 3; i++) expect((await send(gw, testNet("RL-3-10"))).resultCode).toBe("SUCCESS");
    expect(gw.calls).toHaveLength(3);

    vi.setSystemTime(WINDOW_START + 9_999);
    const refused = await send(gw, testNet("RL-3-10"));
    expect(refused.resultCode).toBe("SYSTEM_ERROR");
    expect(refused.resultMessage).toContain("at most 3 requests per 10 s");
    expect(refused.resultMessage).toContain("retry in 1 s");
    expect(refReplySignatureOk(refused)).toBe(true);
    expect(gw.calls).toHaveLength(3);

    vi.setSystemTime(WINDOW_START + 10_000);
    expect((await send(gw, testNet("RL-3-10"))).resultCode).toBe("SUCCESS");
    expect(gw.calls).toHaveLength(4);
  });

  it("counts per tenant: another hospital is not refused", async () => {
    vi.setSystemTime(WINDOW_START);
    const a = limited("RL-A", 1, 60);
    const b = limited("RL-B", 1, 60);
    expect((await send(a, testNet("RL-A"))).resultCode).toBe("SUCCESS");
    expect((await send(a, testNet("RL-A"))).resultCode).toBe("SYSTEM_ERROR");
    expect((await send(b, testNet("RL-B"))).resultCode).toBe("SUCCESS");
  });

  it("never refuses a payment, however far past the limit", async () => {
    vi.setSystemTime(WINDOW_START);
    const gw = limited("RL-PAY", 1, 60);
    expect((await send(gw, testNet("RL-PAY"))).resultCode).toBe("SUCCESS");
    expect((await send(gw, testNet("RL-PAY"))).resultCode).toBe("SYSTEM_ERROR");
    const payWire = toWireText(typedSample(specService("Pay").request.fields as never));
    const pay = refEnvelope({
      service: "Pay",
      format: "xml",
      hospitalCode: "RL-PAY",
      payload: refPayloadXml("request", payWire),
    }).body;
    expect((await send(gw, pay)).resultCode).toBe("SUCCESS");
    expect(gw.calls.map((c) => c.service)).toEqual(["TestNet", "Pay"]);
  });

  it("forged requests do not spend the hospital's budget", async () => {
    vi.setSystemTime(WINDOW_START);
    const gw = limited("RL-FORGED", 1, 60);
    const forged = refEnvelope({
      service: "TestNet",
      format: "json",
      payload: '{"ip":"10.0.0.1"}',
      hospitalCode: "RL-FORGED",
      key: "0123456789ABCDEF",
    }).body;
    for (let i = 0; i < 3; i++) expect((await send(gw, forged)).resultCode).toBe("ILLEGAL_SIGN");
    expect((await send(gw, testNet("RL-FORGED"))).resultCode).toBe("SUCCESS");
  });

  it("the registry: once-only and notify services, and hospital -> platform ones, are never refused", () => {
    expect(
      services
        .filter((s) => s.direction === "platformToHospital" && !s.rateLimited)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["NotifyRefund", "NotifyRegister", "OrderRegister", "Pay", "Refund"]);
    expect(getService("GetScheduleInfo")!.rateLimited).toBe(true);
    expect(services.filter((s) => s.direction === "hospitalToPlatform").every((s) => !s.rateLimited)).toBe(true);
  });
});
