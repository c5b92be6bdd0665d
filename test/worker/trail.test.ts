// The message trail: every exchange of a tenant, both directions, and every delivery attempt of its
// notifications, with outcome, timings and business ids; GET /messages reads it back; an alarm purges it.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { CONFIG_TENANTS } from "../support/config-tenants.js";
import { DEFAULT_TENANT, gateway, post, success } from "../support/gateway.js";
import { refEnvelope, refReadReply, refSign, SEED_KEY, type Wire } from "../support/reference.js";
import { specService, typedSample } from "../support/samples.js";
import { trailFor, trailStub } from "../support/trail.js";
import { envelope, payWire as payWireFor } from "../support/wires.js";
import type { TrailRecord } from "../../worker/src/trail/types.js";

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${++seq}`;

/** Pay with its own order id (payWire's is derived from the outTradeId). */
const payWire = (orderId: string, outTradeId: string): Wire => ({ ...payWireFor(outTradeId), orderId });

const TENANTS = [{ ...DEFAULT_TENANT, hisToken: "trail-token" }];
const bearer = { authorization: "Bearer trail-token" };

/** A platform peer for /platform: answers every call with a signed business refusal. */
const PLATFORM = {
  async fetch(): Promise<Response> {
    const reply = { resultCode: "A02000201", resultMessage: "订单不存在" };
    return Response.json({ ...reply, signType: "md5", sign: refSign(reply, SEED_KEY) });
  },
};

describe("the trail records every exchange", () => {
  it("platform → hospital: Pay with its ids, the HIS's status and time, transport and format", async () => {
    const g = gateway(() => success({ hospitalTradeId: "HT-9" }), TENANTS);
    const orderId = unique("O");
    const outTradeId = unique("LS");
    const reply = refReadReply(
      await (await g.fetch("/wd/api", post(envelope("Pay", payWire(orderId, outTradeId))))).text(),
    );
    expect(reply.resultCode).toBe("SUCCESS");
    const [row] = await trailFor({ orderId });
    expect(row).toMatchObject({
      direction: "platformToHospital",
      service: "Pay",
      transport: "post",
      format: "xml",
      resultCode: "SUCCESS",
      upstreamStatus: 200,
      ids: { orderId, outTradeId, hospitalTradeId: "HT-9" },
    });
    expect(row!.requestId).toMatch(/.+/);
    expect(row!.totalMs).toBeGreaterThanOrEqual(row!.upstreamMs!);
  });

  it("a request that fails validation: its code and failing field paths, no values", async () => {
    const g = gateway(() => success(), TENANTS);
    const orderId = unique("O");
    const wire = { ...payWire(orderId, unique("LS")), payMode: "not-a-number" };
    const reply = refReadReply(await (await g.fetch("/wd/api", post(envelope("Pay", wire, "json")))).text());
    expect(reply.resultCode).toBe("ILLEGAL_ARGUMENT");
    expect(g.calls).toHaveLength(0);
    // A request refused before it is valid has no trusted ids: it is found by service and code.
    const { messages } = await trailStub("TEST_WX", "0").query({
      service: "Pay",
      resultCode: "ILLEGAL_ARGUMENT",
      limit: 1,
      order: "desc",
    });
    expect(messages[0]).toMatchObject({ format: "json", resultCode: "ILLEGAL_ARGUMENT", paths: ["request.payMode"] });
    expect(JSON.stringify(messages[0])).not.toContain("not-a-number");
  });

  it("a GET and the HIS's 503: transport get, SYSTEM_ERROR with the HIS's status", async () => {
    const g = gateway(() => new Response("down", { status: 503 }), TENANTS);
    const orderId = unique("O");
    const { params } = refEnvelope({
      service: "Pay",
      format: "json",
      payload: JSON.stringify(payWire(orderId, unique("LS"))),
    });
    await g.fetch(`/wd/spi/Pay?${new URLSearchParams(params)}`);
    const [row] = await trailFor({ orderId });
    expect(row).toMatchObject({ transport: "get", resultCode: "SYSTEM_ERROR", upstreamStatus: 503 });
  });

  it("hospital → platform: RefundByHis through /platform, with the platform's answer code", async () => {
    const g = gateway(
      () => success(),
      [{ ...TENANTS[0], platformService: "PLATFORM", platformUrl: "https://platform.test/wd/api" }],
      { PLATFORM },
    );
    const orderId = unique("O");
    const body: Record<string, unknown> = { ...typedSample(specService("RefundByHis").request.fields), orderId };
    const res = await g.fetch("/platform/RefundByHis", {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(((await res.json()) as { resultCode: string }).resultCode).toBe("A02000201");
    const [row] = await trailFor({ orderId });
    expect(row).toMatchObject({
      direction: "hospitalToPlatform",
      service: "RefundByHis",
      transport: "platform",
      format: "json",
      resultCode: "A02000201",
      upstreamStatus: 200,
      ids: { orderId, hospitalRefundId: body.hospitalRefundId },
    });
  });
});

describe("delivery attempts", () => {
  it("each attempt of a notification is a row: the failed one and the delivered one", async () => {
    const g = gateway(
      () => new Response("not called", { status: 500 }),
      CONFIG_TENANTS.map((t) => ({ ...t, hisService: "HIS" })),
    );
    // FAILONCE: the stub HIS fails the first delivery of this notification (test/support/his-stub.ts).
    const refundId = unique("RF-FAILONCE-");
    const orderId = unique("O");
    const wire: Wire = {
      businessType: "1",
      orderId,
      hospitalRefundId: `HR-${refundId}`,
      refundId,
      totalFee: "100",
      refundFee: "50",
      refundTime: "2017-02-07 10:09:33",
    };
    expect(refReadReply(await (await g.fetch("/wd/api", post(envelope("NotifyRefund", wire)))).text()).resultCode).toBe(
      "SUCCESS",
    );
    const queue = env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName("TEST_WX\u00000"));
    const delivered = (rows: { transport: string; resultCode: string }[]) =>
      rows.some((r) => r.transport === "delivery" && r.resultCode === "SUCCESS");
    // Waits for the delivered attempt's row, running the queue's alarm meanwhile (it also fires on its own).
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(queue);
        expect(delivered(await trailFor({ refundId }))).toBe(true);
      },
      { timeout: 25_000, interval: 20 },
    );
    const rows = await trailFor({ refundId });
    expect(rows.map((r) => [r.transport, r.resultCode, r.attempt ?? null])).toEqual([
      ["post", "SUCCESS", null],
      ["delivery", "SYSTEM_ERROR", 1],
      ["delivery", "SUCCESS", 2],
    ]);
    expect(rows[1]).toMatchObject({
      service: "NotifyRefund",
      upstreamStatus: 503,
      ids: { orderId, refundId, hospitalRefundId: `HR-${refundId}` },
    });
  });
});

describe("GET /messages", () => {
  const hospitalCode = "0";
  const base = Date.parse("2026-11-01T00:00:00Z");
  const record = (i: number, over: Partial<TrailRecord> = {}): TrailRecord => ({
    at: base + i * 60_000,
    requestId: `r${i}`,
    direction: "platformToHospital",
    service: i % 2 ? "Pay" : "OrderRegister",
    transport: "post",
    format: "xml",
    resultCode: i === 3 ? "SESSION_TIMEOUT" : "SUCCESS",
    totalMs: 10 + i,
    ids: {},
    ...over,
  });

  it("filters by orderId, service, resultCode and time, and pages with the cursor", async () => {
    const orderId = unique("Q");
    await trailStub("TEST_WX", hospitalCode).record(
      Array.from({ length: 7 }, (_, i) => record(i, { ids: { orderId } })),
    );
    const g = gateway(() => success(), TENANTS);
    const get = async (qs: string) => {
      const res = await g.fetch(`/messages?orderId=${orderId}&${qs}`, { headers: bearer });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        messages: { at: string; requestId: string; service: string; resultCode: string }[];
        cursor: string | null;
      };
    };
    const all = await get("");
    expect(all.messages.map((m) => m.requestId)).toEqual(["r6", "r5", "r4", "r3", "r2", "r1", "r0"]);
    expect(all.cursor).toBeNull();
    expect(all.messages[6]).toMatchObject({
      at: "2026-11-01T00:00:00.000Z",
      direction: "platformToHospital",
      service: "OrderRegister",
      resultCode: "SUCCESS",
    });

    const seen: string[] = [];
    let cursor: string | null = "";
    for (let pages = 0; cursor !== null; pages++) {
      expect(pages).toBeLessThan(4);
      const page = await get(`limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.messages.length).toBeLessThanOrEqual(3);
      seen.push(...page.messages.map((m) => m.requestId));
      cursor = page.cursor;
    }
    expect(seen).toEqual(["r6", "r5", "r4", "r3", "r2", "r1", "r0"]);

    expect((await get("service=Pay")).messages.map((m) => m.requestId)).toEqual(["r5", "r3", "r1"]);
    expect((await get("resultCode=SESSION_TIMEOUT")).messages.map((m) => m.requestId)).toEqual(["r3"]);
    expect((await get("from=2026-11-01T00:02:00Z&to=2026-11-01T00:04:00Z")).messages.map((m) => m.requestId)).toEqual([
      "r4",
      "r3",
      "r2",
    ]);
    expect((await get(`from=${base + 5 * 60_000}&order=asc`)).messages.map((m) => m.requestId)).toEqual(["r5", "r6"]);
  });

  it("only the tenant's own trail, with its token; bad parameters are 400 naming the parameter", async () => {
    const orderId = unique("Q");
    await trailStub("TEST_WX", "7001").record([record(1, { ids: { orderId } })]);
    const g = gateway(
      () => success(),
      [...TENANTS, { ...DEFAULT_TENANT, hospitalCode: "7001", hisToken: "other-token" }],
    );
    expect((await g.fetch(`/messages?orderId=${orderId}`)).status).toBe(401);
    expect((await g.fetch(`/messages?orderId=${orderId}`, { headers: { authorization: "Bearer nope" } })).status).toBe(
      401,
    );
    const mine = (await (await g.fetch(`/messages?orderId=${orderId}`, { headers: bearer })).json()) as {
      messages: unknown[];
    };
    expect(mine.messages).toEqual([]);
    const theirs = (await (
      await g.fetch(`/messages?orderId=${orderId}`, { headers: { authorization: "Bearer other-token" } })
    ).json()) as { messages: unknown[] };
    expect(theirs.messages).toHaveLength(1);
    for (const [qs, word] of [
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["from=yesterday", "from"],
      ["cursor=@@", "cursor"],
      ["order=up", "order"],
    ]) {
      const res = await g.fetch(`/messages?${qs}`, { headers: bearer });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { resultMessage: string }).resultMessage).toContain(word);
    }
  });
});

describe("retention", () => {
  it("the alarm purges successes after MESSAGE_RETENTION_DAYS and failures after 90 days", async () => {
    const stub = trailStub("TEST_WX", unique("RET"));
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    const row = (requestId: string, ageDays: number, resultCode: string): TrailRecord => ({
      at: now - ageDays * day,
      requestId,
      direction: "platformToHospital",
      service: "Pay",
      transport: "post",
      format: "json",
      resultCode,
      totalMs: 5,
      ids: { orderId: requestId },
    });
    await stub.record([
      row("ok-29d", 29, "SUCCESS"),
      row("ok-31d", 31, "SUCCESS"),
      row("failed-89d", 89, "SYSTEM_ERROR"),
      row("failed-91d", 91, "SYSTEM_ERROR"),
    ]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const { messages } = await stub.query({ limit: 10, order: "asc" });
    expect(messages.map((m) => m.requestId)).toEqual(["failed-89d", "ok-29d"]);
    // Purged rows are gone from the id index too.
    expect((await stub.query({ ids: { orderId: "ok-31d" }, limit: 10, order: "asc" })).messages).toEqual([]);
  });
});
