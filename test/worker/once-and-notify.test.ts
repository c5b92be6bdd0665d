// Never lost, never applied twice: once-only forwarding (Pay, Refund, OrderRegister) and durable delivery of
// notifications (NotifyRefund, NotifyRegister). Each test uses its own ids and says how the stub HIS answers its
// own notifications only (test files run side by side against the one stub); it waits for the queue's rows to
// reach a state, running the queue's alarm meanwhile, never for a fixed time.
import { env, evictAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Delivery } from "../../worker/src/durable/notification-queue.js";
import { CONFIG_TENANTS } from "../support/config-tenants.js";
import { gateway, hisJson, post, success, type HisHandler } from "../support/gateway.js";
import type { Mode, StubCall, StubControl } from "../support/his-stub.js";
import { refDecrypt, refReadReply, refReplySignatureOk, SEED_KEY, type Wire } from "../support/reference.js";
import { envelope, notifyRefundWire, payWire } from "../support/wires.js";

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${++seq}`;

// The app and the Durable Objects see the same tenants as vitest.config.ts; the app's own HIS calls go to the
// test's stub (binding HIS), the queue's deliveries to the Node stub (HIS_STUB).
const TENANTS = CONFIG_TENANTS.map((t) => ({ ...t, hisService: "HIS" }));
const gw = (his: HisHandler) => gateway(his, TENANTS);

/** How the Node stub answers the deliveries of these rows (NotifyRefund:<refundId>) from now on; others get ok. */
async function stubAnswers(modes: Record<string, Mode>) {
  const control: StubControl = { modes };
  const res = await env.HIS_STUB.fetch("http://stub/__control", { method: "POST", body: JSON.stringify(control) });
  expect(res.status).toBe(204);
}
/** The deliveries the Node stub has seen of these rows. */
async function callsFor(...ids: string[]): Promise<StubCall[]> {
  const query = new URLSearchParams(ids.map((id) => ["key", id]));
  return (await (await env.HIS_STUB.fetch(`http://stub/__calls?${query}`)).json()) as StubCall[];
}
const queueOf = (hospitalCode = "0") =>
  env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(`TEST_WX\u0000${hospitalCode}`));
const refundRow = (refundId: string) => `NotifyRefund:${refundId}`;

// A generous bound on one wait: each round runs the alarm, and a hanging HIS takes hisTimeoutMs (2 s) per attempt.
const WAIT = { timeout: 25_000, interval: 20 };

/**
 * Runs the queue's alarm until these rows all satisfy `done` (alarms also fire on their own meanwhile), and
 * returns them; fails with their states when the bound runs out.
 */
async function untilRows(ids: string[], done: (row: Delivery) => boolean, queue = queueOf()): Promise<Delivery[]> {
  return vi.waitFor(async () => {
    await runDurableObjectAlarm(queue);
    const rows = (await queue.list()).filter((d) => ids.includes(d.id));
    const summary = rows.map((r) => `${r.id}: ${r.state} ${r.attempts} ${r.lastError}`).join("; ");
    if (rows.length !== ids.length || !rows.every(done)) throw new Error(`not yet: ${summary || "no rows"}`);
    return rows;
  }, WAIT);
}
const delivered = (ids: string[], queue = queueOf()) => untilRows(ids, (r) => r.state === "delivered", queue);
const attempted = (ids: string[], queue = queueOf()) =>
  untilRows(ids, (r) => r.attempts >= 1 && r.lastError !== null, queue);

describe("once-only forwarding", () => {
  it("Pay replayed with the same outTradeId: the HIS sees one, both replies carry the same hospitalTradeId", async () => {
    let n = 0;
    const g = gw(() => success({ hospitalTradeId: `HT-${++n}` }));
    const id = unique("LS");
    const first = refReadReply(await (await g.fetch("/wd/api", post(envelope("Pay", payWire(id))))).text());
    const again = refReadReply(await (await g.fetch("/wd/api", post(envelope("Pay", payWire(id), "json")))).text());
    expect(first.resultCode).toBe("SUCCESS");
    expect(again.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(again)).toBe(true);
    expect(g.calls).toHaveLength(1);
    expect(g.calls[0]!.headers["x-idempotency-key"]).toBe(encodeURIComponent(`Pay:${id}`));
    expect(refDecrypt(first.responseEncrypted!, SEED_KEY)).toContain("HT-1");
    // Sealed afresh in the second caller's format (JSON), with the first answer's data.
    expect(JSON.parse(refDecrypt(again.responseEncrypted!, SEED_KEY))).toEqual({ hospitalTradeId: "HT-1" });
  });

  it("10 concurrent identical Pays: one reaches the HIS, all get its answer", async () => {
    let n = 0;
    const g = gw(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return success({ hospitalTradeId: `HT-${++n}` });
    });
    const body = envelope("Pay", payWire(unique("LS")));
    const replies = await Promise.all(
      Array.from({ length: 10 }, async () => refReadReply(await (await g.fetch("/wd/api", post(body))).text())),
    );
    expect(g.calls).toHaveLength(1);
    for (const r of replies) {
      expect(r.resultCode).toBe("SUCCESS");
      expect(refDecrypt(r.responseEncrypted!, SEED_KEY)).toContain("HT-1");
    }
  });

  it("same key, different amount: REPEAT_TRANSACTION, signed, the HIS not called again", async () => {
    const g = gw(() => success({ hospitalTradeId: "HT-X" }));
    const id = unique("LS");
    await g.fetch("/wd/api", post(envelope("Pay", payWire(id, "100"))));
    const reply = refReadReply(await (await g.fetch("/wd/api", post(envelope("Pay", payWire(id, "90"))))).text());
    expect(reply.resultCode).toBe("REPEAT_TRANSACTION");
    expect(refReplySignatureOk(reply)).toBe(true);
    expect(g.calls).toHaveLength(1);
  });

  it("a business answer is kept too: a retried OrderRegister gets the same error without a second slot taken", async () => {
    const g = gw(() => hisJson({ resultCode: "S05010707", resultMessage: "该排班挂号已满（无剩余号源）" }));
    const wire: Wire = {
      orderId: unique("ORD"),
      channelId: "1",
      scheduleId: "S1",
      departmentId: "D1",
      doctorId: "DR1",
      registerDate: "2017-02-08",
      noon: "1",
      registerFee: "100",
      treatFee: "0",
      serviceFee: "0",
      otherFee: "0",
      registerType: "1",
      patientName: "患者",
      patientMobile: "13800000000",
      patientBirthday: "1990-01-01",
      patientSex: "1",
      patientFlag: "0",
      orderTime: "2017-02-08 15:13:55",
      group: [{ flag: "0", rule: [{ id: "certifcate", type: "1", value: "110101199001011234" }] }],
    };
    for (let i = 0; i < 2; i++) {
      const reply = refReadReply(await (await g.fetch("/wd/api", post(envelope("OrderRegister", wire)))).text());
      expect(reply.resultCode).toBe("S05010707");
    }
    expect(g.calls).toHaveLength(1);
  });

  const faults: { name: string; his: HisHandler; code: string; tenant?: Record<string, unknown> }[] = [
    {
      name: "slow",
      his: () => new Promise<Response>(() => {}),
      code: "SESSION_TIMEOUT",
      tenant: { hisTimeoutMs: 100 },
    },
    {
      name: "closes the connection",
      his: () => {
        throw new TypeError("connection reset");
      },
      code: "SYSTEM_ERROR",
    },
    { name: "answers 503", his: () => new Response("down", { status: 503 }), code: "SYSTEM_ERROR" },
    { name: "answers garbage", his: () => new Response("\u0000\u0001garbage"), code: "ILLEGAL_RESPONSE" },
    {
      name: "answers valid JSON that fails the response validator",
      his: () => success({ hospitalTradeId: "x".repeat(65) }),
      code: "ILLEGAL_RESPONSE",
    },
    // Only a definite answer is kept: a unified error code in an HTTP 200 body, any 4xx, and a business code
    // the spec marks transient are all answers the HIS may change its mind about.
    {
      name: "answers HTTP 200 with SYSTEM_ERROR in the body",
      his: () => hisJson({ resultCode: "SYSTEM_ERROR", resultMessage: "db down" }),
      code: "SYSTEM_ERROR",
    },
    {
      name: "answers HTTP 200 with SESSION_TIMEOUT in the body",
      his: () => hisJson({ resultCode: "SESSION_TIMEOUT", resultMessage: "upstream timeout" }),
      code: "SESSION_TIMEOUT",
    },
    {
      name: "answers HTTP 429 with a business code",
      his: () => hisJson({ resultCode: "S02000107", resultMessage: "重复支付" }, 429),
      code: "S02000107",
    },
    {
      name: "answers HTTP 400 with ILLEGAL_ARGUMENT",
      his: () => hisJson({ resultCode: "ILLEGAL_ARGUMENT", resultMessage: "bad" }, 400),
      code: "ILLEGAL_ARGUMENT",
    },
    {
      name: "answers Pay's transient business code S02000108 支付状态未知",
      his: () => hisJson({ resultCode: "S02000108", resultMessage: "支付状态未知" }),
      code: "S02000108",
    },
    {
      name: "answers a business code the standard does not list",
      his: () => hisJson({ resultCode: "E9999", resultMessage: "院内自定义错误" }),
      code: "E9999",
    },
  ];

  it.each(faults)(
    "the HIS $name: $code, nothing kept, the retry reaches the HIS and succeeds",
    async ({ his, code, tenant }) => {
      let failing = true;
      const calls: number[] = [];
      const tenants = [{ ...TENANTS[0], ...tenant }];
      const g = gateway((call) => {
        calls.push(1);
        return failing ? his(call) : success({ hospitalTradeId: "HT-OK" });
      }, tenants);
      const body = envelope("Pay", payWire(unique("LS")));
      const first = refReadReply(await (await g.fetch("/wd/api", post(body))).text());
      expect(first.resultCode).toBe(code);
      expect(refReplySignatureOk(first)).toBe(true);
      failing = false;
      const retry = refReadReply(await (await g.fetch("/wd/api", post(body))).text());
      expect(retry.resultCode).toBe("SUCCESS");
      expect(refDecrypt(retry.responseEncrypted!, SEED_KEY)).toContain("HT-OK");
      expect(calls).toHaveLength(2);
    },
  );

  it("duplicates waiting on a first request that gets a transient answer get that answer, and it is not kept", async () => {
    let n = 0;
    const g = gw(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return ++n === 1
        ? hisJson({ resultCode: "S02000108", resultMessage: "支付状态未知" })
        : success({ hospitalTradeId: "HT-LATER" });
    });
    const body = envelope("Pay", payWire(unique("LS")));
    const replies = await Promise.all(
      Array.from({ length: 5 }, async () => refReadReply(await (await g.fetch("/wd/api", post(body))).text())),
    );
    expect(g.calls).toHaveLength(1);
    for (const r of replies) {
      expect(r.resultCode).toBe("S02000108");
      expect(r.resultMessage).toBe("支付状态未知");
      expect(refReplySignatureOk(r)).toBe(true);
    }
    const later = refReadReply(await (await g.fetch("/wd/api", post(body))).text());
    expect(later.resultCode).toBe("SUCCESS");
    expect(g.calls).toHaveLength(2);
  });

  it("state survives the objects being evicted", async () => {
    let n = 0;
    const g = gw(() => success({ hospitalTradeId: `HT-${++n}` }));
    const body = envelope("Pay", payWire(unique("LS")));
    await g.fetch("/wd/api", post(body));
    await evictAllDurableObjects();
    const again = refReadReply(await (await g.fetch("/wd/api", post(body))).text());
    expect(refDecrypt(again.responseEncrypted!, SEED_KEY)).toContain("HT-1");
    expect(g.calls).toHaveLength(1);
  });
});

describe("notifications", { timeout: 60_000 }, () => {
  it("20 concurrent identical NotifyRefunds: all acknowledged, the HIS sees exactly one", async () => {
    const g = gw(() => new Response("the app must not call the HIS itself", { status: 500 }));
    const refundId = unique("RF");
    const body = envelope("NotifyRefund", notifyRefundWire(refundId));
    const replies = await Promise.all(
      Array.from({ length: 20 }, async () => refReadReply(await (await g.fetch("/wd/api", post(body))).text())),
    );
    for (const r of replies) {
      expect(r.resultCode).toBe("SUCCESS");
      expect(refReplySignatureOk(r)).toBe(true);
    }
    expect(g.calls).toHaveLength(0);
    const [row] = await delivered([refundRow(refundId)]);
    expect(row!.attempts).toBe(1);
    const calls = await callsFor(refundRow(refundId));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.service).toBe("NotifyRefund");
    expect(calls[0]!.body).toEqual({
      businessType: 1,
      orderId: "O1",
      hospitalRefundId: `HR-${refundId}`,
      refundId,
      totalFee: 100,
      refundFee: 50,
      refundTime: "2017-02-07 10:09:33",
    });
    // Delivered stays delivered: another run of the alarm sends nothing.
    await runDurableObjectAlarm(queueOf());
    expect(await callsFor(refundRow(refundId))).toHaveLength(1);
  });

  it("the same refundId with a different amount: REPEAT_TRANSACTION", async () => {
    const g = gw(() => success());
    const refundId = unique("RF");
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(refundId, "50"))));
    const reply = refReadReply(
      await (await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(refundId, "60"))))).text(),
    );
    expect(reply.resultCode).toBe("REPEAT_TRANSACTION");
  });

  it("NotifyRegister: cancel and take of the same order are two notifications; a repeated cancel is one", async () => {
    const g = gw(() => success());
    const orderId = unique("ORD");
    const wire = (notifyType: string): Wire => ({
      notifyType,
      orderId,
      hospitalOrderId: "H1",
      notifyTime: "2017-02-08 15:47:11",
      reason: "用户取消",
    });
    for (const t of ["1", "1", "2"]) {
      const r = refReadReply(await (await g.fetch("/wd/api", post(envelope("NotifyRegister", wire(t))))).text());
      expect(r.resultCode).toBe("SUCCESS");
    }
    // The key is (orderId, notifyType).
    const rows = [`NotifyRegister:${orderId}:1`, `NotifyRegister:${orderId}:2`];
    await delivered(rows);
    const calls = await callsFor(...rows);
    expect(calls.map((c) => (c.body as { notifyType: number }).notifyType).sort()).toEqual([1, 2]);
  });

  it("NotifyRegister resent with a new notifyTime and reason: SUCCESS, one delivery; another hospitalOrderId conflicts", async () => {
    const g = gw(() => success());
    const orderId = unique("ORD");
    const wire = (notifyTime: string, reason: string, hospitalOrderId = "H1"): Wire => ({
      notifyType: "1",
      orderId,
      hospitalOrderId,
      notifyTime,
      reason,
    });
    for (const [time, reason] of [
      ["2017-02-08 15:47:11", "用户取消"],
      ["2017-02-08 15:52:40", "用户取消"],
      ["2017-02-08 16:30:02", "超时未支付"],
    ]) {
      const r = refReadReply(
        await (await g.fetch("/wd/api", post(envelope("NotifyRegister", wire(time!, reason!))))).text(),
      );
      expect(r.resultCode, `${time}`).toBe("SUCCESS");
    }
    const conflict = refReadReply(
      await (await g.fetch("/wd/api", post(envelope("NotifyRegister", wire("2017-02-08 17:00:00", "x", "H2"))))).text(),
    );
    expect(conflict.resultCode).toBe("REPEAT_TRANSACTION");
    const row = `NotifyRegister:${orderId}:1`;
    await delivered([row]);
    const calls = await callsFor(row);
    expect(calls).toHaveLength(1);
    expect((calls[0]!.body as { notifyTime: string }).notifyTime).toBe("2017-02-08 15:47:11");
  });

  it("NotifyRefund resent with another refundTime is the same refund: SUCCESS", async () => {
    const g = gw(() => success());
    const refundId = unique("RF");
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(refundId))));
    const again = refReadReply(
      await (
        await g.fetch(
          "/wd/api",
          post(envelope("NotifyRefund", { ...notifyRefundWire(refundId), refundTime: "2017-02-07 11:00:00" })),
        )
      ).text(),
    );
    expect(again.resultCode).toBe("SUCCESS");
  });

  it("the HIS answers 503 to 50 distinct notifications, then recovers: each is delivered exactly once", async () => {
    const g = gw(() => success());
    const ids = Array.from({ length: 50 }, () => unique("RF"));
    const rows = ids.map(refundRow);
    await stubAnswers(Object.fromEntries(rows.map((row) => [row, "503"])));
    for (const id of ids) {
      const r = refReadReply(
        await (await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id), "xml", "7001")))).text(),
      );
      expect(r.resultCode).toBe("SUCCESS");
    }
    const queue = queueOf("7001");
    // Every one of the 50 is attempted (more than one batch of the queue), fails, and stays pending.
    const failed = await attempted(rows, queue);
    expect(failed.every((d) => d.state === "pending" && d.lastError === "SYSTEM_ERROR")).toBe(true);
    expect((await callsFor(...rows)).filter((c) => c.mode === "503").length).toBeGreaterThanOrEqual(50);

    await stubAnswers(Object.fromEntries(rows.map((row) => [row, "ok"])));
    await delivered(rows, queue);
    const ok = (await callsFor(...rows)).filter((c) => c.mode === "ok");
    for (const row of rows)
      expect(
        ok.filter((c) => c.key === row),
        row,
      ).toHaveLength(1);
    // Acknowledged ones are never sent again.
    await runDurableObjectAlarm(queue);
    expect((await callsFor(...rows)).filter((c) => c.mode === "ok")).toHaveLength(ok.length);
  });

  it("a notification survives eviction of its queue mid-outage", async () => {
    const g = gw(() => success());
    const id = unique("RF");
    const row = refundRow(id);
    await stubAnswers({ [row]: "503" });
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id))));
    await attempted([row]);
    await evictAllDurableObjects();
    await stubAnswers({ [row]: "ok" });
    await delivered([row]);
    expect((await callsFor(row)).filter((c) => c.mode === "ok")).toHaveLength(1);
  });

  it("the HIS rejects a notification (S02000401): marked rejected, listed, replayable, not retried blindly", async () => {
    const g = gw(() => success());
    const id = unique("RF");
    const row = refundRow(id);
    await stubAnswers({ [row]: "business" });
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id))));
    await untilRows([row], (r) => r.state === "rejected");
    const listRes = await g.fetch("/deliveries?state=rejected", { headers: { authorization: "Bearer his-token-0" } });
    expect(listRes.status).toBe(200);
    const list = ((await listRes.json()) as { data: { deliveries: { id: string; hisResultCode: string }[] } }).data
      .deliveries;
    expect(list.find((d) => d.id === row)?.hisResultCode).toBe("S02000401");
    const before = (await callsFor(row)).length;
    await runDurableObjectAlarm(queueOf());
    expect(await callsFor(row)).toHaveLength(before);

    await stubAnswers({ [row]: "ok" });
    const replay = await g.fetch(`/deliveries/${encodeURIComponent(row)}/replay`, {
      method: "POST",
      headers: { authorization: "Bearer his-token-0" },
    });
    expect(replay.status).toBe(202);
    await delivered([row]);
    expect((await callsFor(row)).filter((c) => c.mode === "ok")).toHaveLength(1);
    const again = await g.fetch(`/deliveries/${encodeURIComponent(row)}/replay`, {
      method: "POST",
      headers: { authorization: "Bearer his-token-0" },
    });
    expect(again.status).toBe(409);
  });

  it.each([
    { mode: "systemError" as const, code: "SYSTEM_ERROR" },
    { mode: "429" as const, code: "S02000401" },
  ])(
    "the HIS answers $mode ($code): not rejected, retried with backoff until it acknowledges",
    async ({ mode, code }) => {
      const g = gw(() => success());
      const id = unique("RF");
      const row = refundRow(id);
      await stubAnswers({ [row]: mode });
      await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id))));
      const [failed] = await attempted([row]);
      expect(failed).toMatchObject({ state: "pending", lastError: code, hisResultCode: code });
      await stubAnswers({ [row]: "ok" });
      const [done] = await delivered([row]);
      expect(done!.attempts).toBeGreaterThanOrEqual(2);
      expect((await callsFor(row)).filter((c) => c.mode === "ok")).toHaveLength(1);
    },
  );

  it.each([
    { mode: "garbage" as const, code: "ILLEGAL_RESPONSE" },
    { mode: "hang" as const, code: "SESSION_TIMEOUT" },
  ])("the HIS answers $mode: $code, the notification stays pending, never lost", async ({ mode, code }) => {
    const g = gw(() => success());
    const id = unique("RF");
    const row = refundRow(id);
    await stubAnswers({ [row]: mode });
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id))));
    const [failed] = await attempted([row]);
    expect(failed).toMatchObject({ state: "pending", lastError: code });
    await stubAnswers({ [row]: "ok" });
    await delivered([row]);
  });

  it("/deliveries needs the tenant's hisToken and lists only that tenant's", async () => {
    const g = gw(() => success());
    expect((await g.fetch("/deliveries")).status).toBe(401);
    expect((await g.fetch("/deliveries", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect(
      (await g.fetch("/deliveries?state=bogus", { headers: { authorization: "Bearer his-token-0" } })).status,
    ).toBe(400);
    const ids = { "0": unique("RF"), "7001": unique("RF") };
    for (const [hospitalCode, id] of Object.entries(ids))
      await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id), "xml", hospitalCode)));
    const mine = { "0": refundRow(ids["0"]), "7001": refundRow(ids["7001"]) };
    await delivered([mine["0"]], queueOf("0"));
    await delivered([mine["7001"]], queueOf("7001"));
    const listed = async (hospitalCode: string) => {
      const res = await g.fetch("/deliveries?state=delivered", {
        headers: { authorization: `Bearer his-token-${hospitalCode}` },
      });
      return ((await res.json()) as { data: { deliveries: { id: string }[] } }).data.deliveries.map((d) => d.id);
    };
    const of7001 = await listed("7001");
    const of0 = await listed("0");
    expect(of7001).toContain(mine["7001"]);
    expect(of7001).not.toContain(mine["0"]);
    expect(of0).toContain(mine["0"]);
    expect(of0).not.toContain(mine["7001"]);
  });
});

describe("notification retention and /deliveries paging", { timeout: 60_000 }, () => {
  const DAY = 24 * 60 * 60 * 1000;

  it("/deliveries takes limit (default 100) and returns a cursor until the last page", async () => {
    // Tenant 7003's queue is this test's alone: the pages hold exactly its five rows.
    const g = gw(() => success());
    const ids = Array.from({ length: 5 }, () => unique("RFP"));
    for (const id of ids) await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id), "xml", "7003")));
    const auth = { headers: { authorization: "Bearer his-token-7003" } };
    const all = "state=pending,delivered,failed,rejected";
    type Page = { data: { deliveries: { id: string }[]; cursor: string | null } };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await g.fetch(
        `/deliveries?${all}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        auth,
      );
      expect(res.status).toBe(200);
      const page = ((await res.json()) as Page).data;
      expect(page.deliveries.length).toBeLessThanOrEqual(2);
      seen.push(...page.deliveries.map((d) => d.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(ids.map(refundRow)));

    const whole = ((await (await g.fetch(`/deliveries?${all}`, auth)).json()) as Page).data;
    expect(whole.deliveries).toHaveLength(5);
    expect(whole.cursor).toBeNull();
    for (const bad of ["limit=0", "limit=-1", "limit=abc", "limit=1001", "cursor=nonsense"]) {
      const res = await g.fetch(`/deliveries?${all}&${bad}`, auth);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { resultCode: string }).resultCode).toBe("ILLEGAL_ARGUMENT");
    }
  });

  it("a delivered notification drops its request body, and is purged after NOTIFY_RETENTION_DAYS (30)", async () => {
    const g = gw(() => success());
    const id = unique("RFR");
    const row = refundRow(id);
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id), "xml", "7002")));
    const queue = queueOf("7002");
    const [delivery] = await delivered([row], queue);
    const { request, alarm } = await runInDurableObject(queue, async (_instance, state) => ({
      request: state.storage.sql
        .exec<{ request: string }>("SELECT request FROM notification WHERE id = ?", row)
        .toArray()[0]?.request,
      alarm: await state.storage.getAlarm(),
    }));
    // The patient's data is gone once the HIS has it; the fingerprint stays, so a resend is still a duplicate.
    expect(request).toBe("");
    // Nothing is pending (tenant 7002's queue is this test's alone), yet an alarm is set: the purge of the oldest
    // delivered row.
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(alarm!).toBeLessThanOrEqual(delivery!.updatedAt + 30 * DAY);
    const resent = refReadReply(
      await (await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(id), "xml", "7002")))).text(),
    );
    expect(resent.resultCode).toBe("SUCCESS");

    // A pending row is never purged, however old.
    const pendingId = unique("RFR");
    await stubAnswers({ [refundRow(pendingId)]: "503" });
    await g.fetch("/wd/api", post(envelope("NotifyRefund", notifyRefundWire(pendingId), "xml", "7002")));
    await runInDurableObject(queue, (instance) => instance.purge(Date.now() + 29 * DAY));
    expect((await queue.list(["delivered"])).some((d) => d.id === row)).toBe(true);
    await runInDurableObject(queue, (instance) => instance.purge(Date.now() + 31 * DAY));
    expect((await queue.list(["delivered"])).some((d) => d.id === row)).toBe(false);
    expect((await queue.list()).some((d) => d.id === refundRow(pendingId))).toBe(true);
    // Let it go, rather than retried every few ms for the rest of the run.
    await stubAnswers({ [refundRow(pendingId)]: "ok" });
    await delivered([refundRow(pendingId)], queue);
  });
});
