// What the hospital's operators see: the status page and /status.json, /metrics and Analytics Engine points,
// alerts; and that none of it, nor the trail, ever holds a patient's data.
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { businessIdNames } from "../../generated/trail.js";
import { services } from "../../generated/registry.js";
import { parseTenants } from "../../worker/src/config/tenants.js";
import { checkTenantAlerts } from "../../worker/src/alerts/check.js";
import type { TrailRecord } from "../../worker/src/trail/types.js";
import { DEFAULT_TENANT, gateway, post, success, type HisCall } from "../support/gateway.js";
import { refEnvelope, refPayloadXml, refReadReply } from "../support/reference.js";
import { specService, toWireText, typedSample } from "../support/samples.js";
import { trailStub } from "../support/trail.js";

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now() % 1e8}${++seq}`;

/** A tenant of its own per test: its trail and queue start empty. */
function tenantOf(
  extra: Record<string, unknown> = {},
): typeof DEFAULT_TENANT & { hisToken: string; alerts?: Record<string, unknown> } {
  const hospitalCode = unique("H");
  const hisToken = `token-${hospitalCode}`;
  return { ...DEFAULT_TENANT, hospitalCode, hisToken, ...extra };
}
const bearer = (t: { hisToken: string }) => ({ authorization: `Bearer ${t.hisToken}` });
const envelopeFor = (
  service: string,
  wire: Record<string, unknown>,
  hospitalCode: string,
  format: "xml" | "json" = "json",
) =>
  refEnvelope({
    service,
    format,
    hospitalCode,
    payload: format === "xml" ? refPayloadXml("request", toWireText(wire)) : JSON.stringify(toWireText(wire)),
  }).body;

type Point = { blobs?: unknown[]; doubles?: number[]; indexes?: unknown[] };
const fakeMetrics = () => {
  const points: Point[] = [];
  return { points, METRICS: { writeDataPoint: (p: Point) => void points.push(p) } };
};

async function waitForRows(partner: string, hospitalCode: string, n: number) {
  for (let i = 0; i < 100; i++) {
    const { messages } = await trailStub(partner, hospitalCode).query({ limit: 500, order: "asc" });
    if (messages.length >= n) return messages;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${n} trail rows`);
}

/**
 * These tenants are not in the queue's own TENANTS (vitest.config.ts), so their notifications would be retried
 * every few ms for days: the tests that enqueue some empty the queue when done.
 */
async function emptyQueue(hospitalCode: string) {
  const queue = env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(`TEST_WX\u0000${hospitalCode}`));
  await runInDurableObject(queue, async (_instance, state) => {
    state.storage.sql.exec("DELETE FROM notification");
    await state.storage.deleteAlarm();
  });
}

/** Tenants whose queue a test filled. */
const queued: string[] = [];
afterEach(async () => {
  for (const hospitalCode of queued.splice(0)) await emptyQueue(hospitalCode);
});

const nearestRank = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * values.length) - 1)]!;

describe("status", () => {
  it("/status.json: per service count, success rate, p50/p99 and the latest failures equal what was sent", async () => {
    const t = tenantOf();
    const g = gateway(
      (call) =>
        call.service === "GetDepartmentInfo"
          ? new Response("down", { status: 503 })
          : success({ systemTime: "2026-11-28 10:00:00" }),
      [t],
    );
    for (let i = 0; i < 3; i++)
      await g.fetch("/wd/api", post(envelopeFor("TestNet", { ip: "127.0.0.1" }, t.hospitalCode)));
    await g.fetch("/wd/api", post(envelopeFor("GetDepartmentInfo", { currentPage: 1, pageSize: 10 }, t.hospitalCode)));
    const rows = await waitForRows(t.partner, t.hospitalCode, 4);
    const res = await g.fetch("/status.json", { headers: bearer(t) });
    expect(res.status).toBe(200);
    const s = (await res.json()) as {
      windows: Record<
        "hour" | "day",
        { service: string; count: number; succeeded: number; successRate: number; p50Ms: number; p99Ms: number }[]
      >;
      latestFailures: { service: string; resultCode: string }[];
      notifications: { pending: number };
    };
    const testNetMs = rows.filter((r) => r.service === "TestNet").map((r) => r.totalMs);
    for (const window of ["hour", "day"] as const) {
      expect(s.windows[window]).toEqual([
        expect.objectContaining({ service: "GetDepartmentInfo", count: 1, succeeded: 0, successRate: 0 }),
        expect.objectContaining({
          service: "TestNet",
          count: 3,
          succeeded: 3,
          successRate: 1,
          p50Ms: nearestRank(testNetMs, 0.5),
          p99Ms: nearestRank(testNetMs, 0.99),
        }),
      ]);
    }
    expect(s.latestFailures).toEqual([
      expect.objectContaining({ service: "GetDepartmentInfo", resultCode: "SYSTEM_ERROR" }),
    ]);
    expect(s.notifications.pending).toBe(0);
  });

  it("percentiles by nearest rank over the window; older exchanges only in the day", async () => {
    const t = tenantOf();
    const now = Date.now();
    const row = (i: number, ageMs: number): TrailRecord => ({
      at: now - ageMs,
      requestId: `r${i}`,
      direction: "platformToHospital",
      service: "Pay",
      transport: "post",
      format: "json",
      resultCode: i % 10 === 0 ? "SESSION_TIMEOUT" : "SUCCESS",
      totalMs: i,
      ids: {},
    });
    // 1..100 ms in the last hour; 1000 more slow ones two hours ago.
    await trailStub(t.partner, t.hospitalCode).record([
      ...Array.from({ length: 100 }, (_, i) => row(i + 1, 60_000)),
      ...Array.from({ length: 100 }, (_, i) => row(5000 + i, 2 * 3600_000)),
    ]);
    const g = gateway(() => success(), [t]);
    const s = (await (await g.fetch("/status.json", { headers: bearer(t) })).json()) as {
      windows: Record<"hour" | "day", { count: number; succeeded: number; p50Ms: number; p99Ms: number }[]>;
    };
    expect(s.windows.hour).toEqual([expect.objectContaining({ count: 100, succeeded: 90, p50Ms: 50, p99Ms: 99 })]);
    expect(s.windows.day).toEqual([expect.objectContaining({ count: 200, succeeded: 180, p50Ms: 100, p99Ms: 5097 })]);
  });

  it("the notification queue: pending notifications and the age of the oldest", async () => {
    const t = tenantOf();
    const g = gateway(() => success(), [t]);
    queued.push(t.hospitalCode);
    const wire = { ...typedSample(specService("NotifyRefund").request.fields), refundId: unique("RF") };
    expect(
      refReadReply(await (await g.fetch("/wd/api", post(envelopeFor("NotifyRefund", wire, t.hospitalCode)))).text())
        .resultCode,
    ).toBe("SUCCESS");
    await new Promise((r) => setTimeout(r, 30));
    const s = (await (await g.fetch("/status.json", { headers: bearer(t) })).json()) as {
      notifications: { pending: number; failed: number; rejected: number; oldestPendingMs: number };
    };
    // The tenant is not in the queue's own TENANTS, so its delivery keeps failing: it stays pending.
    expect(s.notifications).toMatchObject({ pending: 1, failed: 0, rejected: 0 });
    expect(s.notifications.oldestPendingMs).toBeGreaterThanOrEqual(30);
  });

  it("/status: the login form without a session; the form sets an HttpOnly cookie that opens the page", async () => {
    const t = tenantOf();
    const other = tenantOf();
    const g = gateway(() => success(), [t, other]);
    const anon = await g.fetch("/status");
    expect(anon.status).toBe(401);
    const form = await anon.text();
    expect(form).toContain('action="/status/login"');
    expect(anon.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect((await g.fetch("/status.json")).status).toBe(401);

    const wrong = await g.fetch("/status/login", { method: "POST", body: new URLSearchParams({ token: "nope" }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const login = await g.fetch("/status/login", { method: "POST", body: new URLSearchParams({ token: t.hisToken }) });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/status");
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(t.hisToken);
    const session = cookie.split(";")[0]!;
    const page = await g.fetch("/status", { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain(`TEST_WX / ${t.hospitalCode}`);
    expect((await g.fetch("/status.json", { headers: { cookie: session } })).status).toBe(200);

    // A session names its tenant and is MACed with that tenant's token: renaming it to another tenant fails.
    const [name, value] = session.split("=") as [string, string];
    const parts = value.split(".");
    parts[1] = btoa(other.hospitalCode).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expect((await g.fetch("/status", { headers: { cookie: `${name}=${parts.join(".")}` } })).status).toBe(401);

    const logout = await g.fetch("/status/logout", { method: "POST", headers: { cookie: session } });
    expect(logout.status).toBe(303);
    expect(logout.headers.get("set-cookie")).toMatch(/Max-Age=0/i);
  });
});

describe("metrics", () => {
  it("one Analytics Engine point per exchange: partner, hospitalCode, service, resultCode, transport; ms; index", async () => {
    const t = tenantOf();
    const { points, METRICS } = fakeMetrics();
    const g = gateway(
      (call) =>
        call.service === "GetDepartmentInfo"
          ? new Response("down", { status: 503 })
          : success({ systemTime: "2026-11-28 10:00:00" }),
      [t],
      { METRICS },
    );
    const testNet = envelopeFor("TestNet", { ip: "127.0.0.1" }, t.hospitalCode);
    // As on the network, where the platform's POST carries its length.
    await g.fetch("/wd/api", post(testNet, { "content-length": String(new TextEncoder().encode(testNet).length) }));
    await g.fetch(
      "/wd/api",
      post(envelopeFor("GetDepartmentInfo", { currentPage: 1, pageSize: 10 }, t.hospitalCode, "xml")),
    );
    expect(points).toHaveLength(2);
    expect(points[0]).toEqual({
      blobs: ["TEST_WX", t.hospitalCode, "TestNet", "SUCCESS", "post"],
      doubles: [expect.any(Number), expect.any(Number), new TextEncoder().encode(testNet).length],
      indexes: [`TEST_WX:${t.hospitalCode}`],
    });
    expect(points[1]!.blobs).toEqual(["TEST_WX", t.hospitalCode, "GetDepartmentInfo", "SYSTEM_ERROR", "post"]);
    const [total, his] = points[0]!.doubles!;
    expect(total).toBeGreaterThanOrEqual(his!);
    // No tenant, no point: an unknown partner is the request log's business.
    await g.fetch(
      "/wd/api",
      post(refEnvelope({ service: "TestNet", format: "json", partner: "NOBODY", payload: "{}" }).body),
    );
    expect(points).toHaveLength(2);
  });

  it("GET /metrics: Prometheus text of the tenant's counters, histogram and queue, behind its token", async () => {
    const t = tenantOf();
    const g = gateway(() => success({ systemTime: "2026-11-28 10:00:00" }), [t, tenantOf()], {
      METRICS_TOKEN: "ops-secret",
    });
    for (let i = 0; i < 2; i++)
      await g.fetch("/wd/api", post(envelopeFor("TestNet", { ip: "127.0.0.1" }, t.hospitalCode)));
    await waitForRows(t.partner, t.hospitalCode, 2);
    expect((await g.fetch("/metrics")).status).toBe(401);
    const res = await g.fetch("/metrics", { headers: bearer(t) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    const labels = `partner="TEST_WX",hospital_code="${t.hospitalCode}"`;
    expect(text).toContain("# TYPE hisgate_exchanges_total counter");
    expect(text).toContain(
      `hisgate_exchanges_total{${labels},direction="platformToHospital",service="TestNet",result_code="SUCCESS"} 2\n`,
    );
    expect(text).toContain(`hisgate_exchange_duration_milliseconds_bucket{${labels},service="TestNet",le="+Inf"} 2\n`);
    expect(text).toContain(`hisgate_exchange_duration_milliseconds_count{${labels},service="TestNet"} 2\n`);
    expect(text).toContain(`hisgate_notifications{${labels},state="pending"} 0\n`);
    // Buckets are cumulative and end at the count.
    const buckets = [
      ...text.matchAll(new RegExp(`_bucket\\{${labels},service="TestNet",le="[^"]+"\\} (\\d+)`, "g")),
    ].map((m) => Number(m[1]));
    expect(buckets.length).toBeGreaterThan(2);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    // The operator's METRICS_TOKEN sees every tenant.
    const all = await (await g.fetch("/metrics", { headers: { authorization: "Bearer ops-secret" } })).text();
    expect(all.match(/^hisgate_notifications\{.*state="pending"\}/gm)).toHaveLength(2);
  });
});

describe("alerts", () => {
  const WEBHOOK = "https://alerts.test/hook";
  const posts = async () =>
    (await (await fetch("https://alerts.test/__posts")).json()) as {
      url: string;
      body: { msgtype: string; text: { content: string } };
    }[];
  beforeEach(async () => {
    await fetch("https://alerts.test/__reset", { method: "POST" });
  });

  const record = (now: number, n: number, code: string, offsetMs = 0): TrailRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      at: now - 60_000 + offsetMs + i,
      requestId: `a${i}`,
      direction: "platformToHospital",
      service: "Pay",
      transport: "post",
      format: "json",
      resultCode: code,
      totalMs: 5,
      ids: {},
    }));

  it("a failure rate over the threshold is announced once, its recovery once", async () => {
    const raw = tenantOf({ alerts: { webhook: WEBHOOK, rate: 0.3, windowMinutes: 5 } });
    const tenant = parseTenants(JSON.stringify([raw])).all[0]!;
    const trail = trailStub(tenant.partner, tenant.hospitalCode);
    const now = Date.now();
    await trail.record([
      ...record(now, 6, "SUCCESS"),
      ...record(now, 3, "SYSTEM_ERROR"),
      ...record(now, 1, "SESSION_TIMEOUT"),
    ]);
    expect(await checkTenantAlerts(env, tenant, now)).toHaveLength(1);
    expect(await checkTenantAlerts(env, tenant, now + 60_000)).toEqual([]);
    let sent = await posts();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.msgtype).toBe("text");
    expect(sent[0]!.body.text.content).toContain("告警");
    expect(sent[0]!.body.text.content).toContain("SYSTEM_ERROR×3");
    expect(sent[0]!.body.text.content).toContain(tenant.hospitalCode);

    // Ten minutes later only successes are in the window: recovered, announced once.
    const later = now + 10 * 60_000;
    await trail.record(record(later, 10, "SUCCESS"));
    expect(await checkTenantAlerts(env, tenant, later)).toHaveLength(1);
    expect(await checkTenantAlerts(env, tenant, later + 60_000)).toEqual([]);
    sent = await posts();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body.text.content).toContain("恢复");
  });

  it("a webhook that fails or redirects is tried again on the next run; business codes do not count by default", async () => {
    const raw = tenantOf({ alerts: { webhook: "https://alerts.test/redirect", rate: 0.5 } });
    const tenant = parseTenants(JSON.stringify([raw])).all[0]!;
    const now = Date.now();
    await trailStub(tenant.partner, tenant.hospitalCode).record([
      ...record(now, 5, "SYSTEM_ERROR"),
      ...record(now, 5, "S02000107"),
    ]);
    expect(await checkTenantAlerts(env, tenant, now)).toEqual([]);
    // The redirect was not followed.
    expect((await posts()).map((p) => p.url)).toEqual(["https://alerts.test/redirect"]);
    const fixed = parseTenants(JSON.stringify([{ ...raw, alerts: { ...raw.alerts, webhook: WEBHOOK } }])).all[0]!;
    expect(await checkTenantAlerts(env, fixed, now)).toHaveLength(1);
    // 5 of 10 count (SYSTEM_ERROR); the S… business refusals do not: 50 % meets rate 0.5.
    expect((await posts())[1]!.body.text.content).toContain("5 次失败");
  });

  it("a notification backlog over the threshold is announced once", async () => {
    // minRequests keeps the failing deliveries of these notifications (no HIS for this tenant) out of it.
    const raw = tenantOf({ alerts: { webhook: WEBHOOK, backlog: 2, minRequests: 1000 } });
    const tenant = parseTenants(JSON.stringify([raw])).all[0]!;
    const g = gateway(() => success(), [raw]);
    queued.push(raw.hospitalCode);
    for (let i = 0; i < 2; i++) {
      const wire = { ...typedSample(specService("NotifyRefund").request.fields), refundId: unique("RF") };
      await g.fetch("/wd/api", post(envelopeFor("NotifyRefund", wire, tenant.hospitalCode)));
    }
    const now = Date.now();
    expect(await checkTenantAlerts(env, tenant, now)).toHaveLength(1);
    expect(await checkTenantAlerts(env, tenant, now + 60_000)).toEqual([]);
    expect((await posts())[0]!.body.text.content).toContain("通知积压 2 条");
  });

  it("the cron trigger checks every tenant with alerts", async () => {
    const { default: worker } = await import("../../worker/src/index.js");
    const raw = tenantOf({ alerts: { webhook: WEBHOOK, rate: 0.1, minRequests: 1 } });
    await trailStub(raw.partner, raw.hospitalCode).record(record(Date.now(), 2, "SESSION_TIMEOUT"));
    const waiting: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => void waiting.push(p),
      passThroughOnException: () => {},
      props: {},
    } as unknown as ExecutionContext;
    await worker.scheduled!(
      { cron: "* * * * *", scheduledTime: Date.now(), noRetry() {} } as ScheduledController,
      { ...env, TENANTS: JSON.stringify([raw, tenantOf()]) },
      ctx,
    );
    await Promise.all(waiting);
    expect(await posts()).toHaveLength(1);
  });
});

describe("no patient data in the trail, /messages, the status page or the metrics", () => {
  it("sampled patient fields of every service, requests and answers, appear nowhere", async () => {
    const t = tenantOf({ platformService: "PLATFORM", platformUrl: "https://platform.test/wd/api" });
    const { points, METRICS } = fakeMetrics();
    // The HIS answers every service with a full sample answer (every field filled).
    const answers = new Map<string, Record<string, unknown>>(
      services.filter((s) => s.hasResponse).map((s) => [s.name, typedSample(specService(s.name).response!.fields, 1)]),
    );
    const g = gateway((call: HisCall) => success(answers.get(call.service)), [t], { METRICS });
    queued.push(t.hospitalCode);
    const sent: Record<string, unknown>[] = [];
    for (const s of services.filter((x) => x.direction === "platformToHospital")) {
      const wire = typedSample(specService(s.name).request.fields);
      sent.push(wire, answers.get(s.name) ?? {});
      await g.fetch("/wd/api", post(envelopeFor(s.name, wire, t.hospitalCode, seq % 2 ? "xml" : "json")));
      // The same payload failing validation (a field too long) must not leak either.
      const broken = { ...wire, [specService(s.name).request.fields[0]!.name]: "x".repeat(300) };
      await g.fetch("/wd/api", post(envelopeFor(s.name, broken, t.hospitalCode)));
    }
    // Realistic values too, in the fields that carry them.
    const person = {
      patientName: "王小明",
      patientMobile: "13987654321",
      idCard: "610102199001011234",
      cardNo: "6217000012345678",
    };
    const orderWire = { ...typedSample(specService("OrderRegister").request.fields), ...person, orderId: unique("O") };
    await g.fetch("/wd/api", post(envelopeFor("OrderRegister", orderWire, t.hospitalCode)));

    // Every free-text value that was sent or answered, except the business ids the trail is meant to keep.
    const ids = new Set<string>(businessIdNames);
    const texts = new Set<string>(Object.values(person));
    const collect = (value: unknown, key = "") => {
      if (Array.isArray(value)) value.forEach((v) => collect(v, key));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) collect(v, k);
      else if (typeof value === "string" && value.length >= 6 && !ids.has(key) && value.includes("值"))
        texts.add(value);
    };
    sent.forEach((v) => collect(v));
    expect(texts.size).toBeGreaterThan(100);

    const rows = await waitForRows(t.partner, t.hospitalCode, sent.length + 1);
    const surfaces: Record<string, string> = {
      trail: JSON.stringify(rows),
      messages: await (await g.fetch("/messages?limit=500", { headers: bearer(t) })).text(),
      statusJson: await (await g.fetch("/status.json", { headers: bearer(t) })).text(),
      statusPage: await (await g.fetch("/status", { headers: bearer(t) })).text(),
      metrics: await (await g.fetch("/metrics", { headers: bearer(t) })).text(),
      analyticsEngine: JSON.stringify(points),
    };
    for (const [surface, text] of Object.entries(surfaces)) {
      const leaked = [...texts].filter((v) => text.includes(v));
      expect({ surface, leaked }).toEqual({ surface, leaked: [] });
    }
    // And the trail did record them, ids included.
    expect(rows.find((r) => r.ids.orderId === orderWire.orderId)).toBeDefined();
    expect(JSON.parse(surfaces.messages!).messages.length).toBeGreaterThan(20);
  });
});
