// A tenant's HIS reached over plain fetch (hisUrl), with its hisHeaders and per-service routes.
import { describe, expect, it } from "vitest";
import { gateway, post } from "../support/gateway.js";
import { refDecrypt, refEnvelope, refPayloadXml, refReadReply, SEED_KEY } from "../support/reference.js";

const departments = () =>
  refEnvelope({
    service: "GetDepartmentInfo",
    format: "xml",
    payload: refPayloadXml("request", { currentPage: "1", pageSize: "10" }),
  }).body;

async function echoed(tenant: Record<string, unknown>): Promise<string> {
  const gw = gateway(
    () => new Response("the binding is not used here", { status: 500 }),
    [{ partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, ...tenant }],
  );
  const reply = refReadReply(await (await gw.fetch("/wd/api", post(departments()))).text());
  expect(reply.resultCode, reply.resultMessage).toBe("SUCCESS");
  expect(gw.calls).toHaveLength(0);
  return /<name><!\[CDATA\[(.*?)\]\]><\/name>/.exec(refDecrypt(reply.responseEncrypted!, SEED_KEY))![1]!;
}

describe("HIS over hisUrl", () => {
  it("POSTs to {hisUrl}/{Service} with the tenant's hisHeaders", async () => {
    const seen = await echoed({
      hisUrl: "https://his-url.test/api/",
      hisHeaders: { authorization: "Bearer his-internal" },
    });
    expect(seen).toBe("POST /api/GetDepartmentInfo  Bearer his-internal GetDepartmentInfo");
  });

  it("a route overrides method and path; GET carries the request as a JSON query parameter", async () => {
    const seen = await echoed({
      hisUrl: "https://his-url.test/api",
      routes: { GetDepartmentInfo: { method: "GET", path: "/v2/dept/{service}" } },
    });
    expect(seen).toBe(
      `GET /api/v2/dept/GetDepartmentInfo ?request=${encodeURIComponent('{"currentPage":1,"pageSize":10}')} - GetDepartmentInfo`,
    );
  });

  it("an HIS behind a proxy that answers 5xx is SYSTEM_ERROR", async () => {
    const gw = gateway(
      () => new Response(),
      [{ partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, hisUrl: "https://nowhere.test" }],
    );
    const reply = refReadReply(await (await gw.fetch("/wd/api", post(departments()))).text());
    expect(reply.resultCode).toBe("SYSTEM_ERROR");
  });
});
