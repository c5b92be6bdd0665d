// A tenant's HIS reached over plain fetch (hisUrl), with its hisHeaders and per-service routes.
import { afterEach, describe, expect, it, vi } from "vitest";
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

  describe("a redirect is never followed", () => {
    afterEach(() => vi.restoreAllMocks());

    it.each([301, 302, 303, 307, 308])(
      "HTTP %i is SYSTEM_ERROR, logged with the status, not the Location",
      async (status) => {
        const lines: string[] = [];
        for (const level of ["log", "warn", "error"] as const)
          vi.spyOn(console, level).mockImplementation(
            (...args: unknown[]) => void lines.push(args.map(String).join(" ")),
          );
        const gw = gateway(
          () => new Response(),
          [
            {
              partner: "TEST_WX",
              hospitalCode: "0",
              key: SEED_KEY,
              hisUrl: `https://redirect.test/${status}`,
              hisHeaders: { authorization: "Bearer his-internal" },
            },
          ],
        );
        const reply = refReadReply(await (await gw.fetch("/wd/api", post(departments()))).text());
        // Followed, the echo HIS at the Location would have answered SUCCESS with the tenant's hisHeaders in it.
        expect(reply.resultCode, reply.resultMessage).toBe("SYSTEM_ERROR");
        expect(reply.resultMessage).toContain(`HTTP ${status}`);
        expect(lines.some((l) => l.includes('"his.redirect"') && l.includes(`"status":${status}`))).toBe(true);
        expect(lines.join("\n")).not.toContain("LOCATION-SECRET");
        expect(reply.resultMessage).not.toContain("LOCATION-SECRET");
      },
    );
  });
});
