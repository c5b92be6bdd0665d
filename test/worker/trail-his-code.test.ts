// The HIS's own code in the message trail: through an HIS profile (demo-legacy against the demo KY-HIS), a trail row
// carries what the HIS answered in its own terms, beside the standard's resultCode, for a success and for a refusal,
// in REST JSON and in SOAP; a "code" that is free text (which could name a patient) is left out.
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore, shanghaiNow } from "../../demo/his/src/data.js";
import { app as legacyHis } from "../../demo/legacy-his/src/app.js";
import { gateway, hisJson, post, type HisCall } from "../support/gateway.js";
import { refEnvelope, refReadReply, SEED_KEY } from "../support/reference.js";
import { trailFor, trailStub } from "../support/trail.js";

const HOSPITAL = "43010003";
const store = memoryStore();
/** Per test: an answer of its own instead of KY-HIS's, for the calls it picks. */
let override: ((call: HisCall) => Response | undefined) | undefined;

const gw = gateway(
  async (call) =>
    override?.(call) ??
    legacyHis.fetch(
      new Request(call.url, {
        method: call.method,
        headers: call.headers,
        ...(call.method === "GET" ? {} : { body: call.text }),
      }),
      { store, API_KEY: "demo-legacy-key" },
    ),
  [
    {
      partner: "TEST_WX",
      hospitalCode: HOSPITAL,
      key: SEED_KEY,
      hisUrl: "http://legacy-his",
      hisService: "HIS",
      hisHeaders: { "X-Api-Key": "demo-legacy-key" },
      hisProfile: "demo-legacy",
    },
  ],
);

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${++seq}`;

let lastMessage = "";
async function call(service: string, request: Record<string, unknown>): Promise<string> {
  const { body } = refEnvelope({ service, hospitalCode: HOSPITAL, format: "json", payload: JSON.stringify(request) });
  const reply = refReadReply(await (await gw.fetch("/wd/api", post(body))).text());
  lastMessage = reply.resultMessage ?? "";
  return reply.resultCode!;
}

afterEach(() => vi.restoreAllMocks());

/** The newest trail row of a service with this resultCode (TestNet carries no business id to look it up by). */
async function latest(service: string, resultCode: string) {
  for (let i = 0; i < 50; i++) {
    const { messages } = await trailStub("TEST_WX", HOSPITAL).query({ service, resultCode, limit: 1, order: "desc" });
    if (messages[0]) return messages[0];
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

describe("hisCode in the trail, from an HIS profile", () => {
  it("a success in REST JSON: KY-HIS's code 1 beside SUCCESS", async () => {
    override = undefined;
    const ip = `10.1.${++seq % 250}.1`;
    expect(await call("TestNet", { ip })).toBe("SUCCESS");
    expect(await latest("TestNet", "SUCCESS")).toMatchObject({ resultCode: "SUCCESS", hisCode: "1" });
  });

  it("a refusal in SOAP the profile maps: Pay of an unknown order is S02000101 with KY-HIS's -101", async () => {
    override = undefined;
    const orderId = unique("WX");
    const today = shanghaiNow();
    const code = await call("Pay", {
      businessType: 1,
      orderId,
      hospitalOrderId: "HO-none",
      tradeId: `T${orderId}`,
      outTradeId: unique("42"),
      payTime: today.datetime,
      payMode: 2,
      payChannel: 1,
      payType: 101,
      isConcessions: 0,
      totalFee: 100,
      payableFee: 100,
      activityFee: 0,
      medicareFee: 0,
      realFee: 100,
    });
    expect(code).toBe("S02000101");
    const [row] = await trailFor({ orderId }, { hospitalCode: HOSPITAL });
    expect(row).toMatchObject({ service: "Pay", resultCode: "S02000101", hisCode: "-101" });
  });

  it("a refusal the profile maps to no business code: SYSTEM_ERROR, and the HIS's code says which", async () => {
    override = (c) => (c.url.includes("/his/api/ping") ? hisJson({ code: "9071", message: "维护中" }) : undefined);
    expect(await call("TestNet", { ip: "10.2.0.1" })).toBe("SYSTEM_ERROR");
    expect(await latest("TestNet", "SYSTEM_ERROR")).toMatchObject({ resultCode: "SYSTEM_ERROR", hisCode: "9071" });
  });

  it("a code that is free text is not kept, answered or logged: it could name the patient", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    override = (c) =>
      c.url.includes("/his/api/ping") ? hisJson({ code: "患者张伟无档案", message: "患者张伟无档案" }) : undefined;
    expect(await call("TestNet", { ip: "10.3.0.1" })).toBe("SYSTEM_ERROR");
    expect(lastMessage).not.toContain("张伟");
    expect(lines.some((l) => l.includes("SYSTEM_ERROR"))).toBe(true);
    expect(lines.join("\n")).not.toContain("张伟");
    const { messages } = await trailStub("TEST_WX", HOSPITAL).query({ service: "TestNet", limit: 5, order: "desc" });
    expect(messages[0]).toMatchObject({ resultCode: "SYSTEM_ERROR" });
    expect(messages[0]).not.toHaveProperty("hisCode");
    expect(JSON.stringify(messages)).not.toContain("张伟");
  });
});
