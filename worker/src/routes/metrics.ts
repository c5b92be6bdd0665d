import { Hono } from "hono";
import { tenantSource } from "../config/source.js";
import type { Tenant } from "../config/tenants.js";
import type { AppEnv, Bindings } from "../env.js";
import { hisToken } from "../middleware/his-token/index.js";
import { hisBodyLimit, hisJsonError } from "../render/his-json.js";
import { trailOf } from "../trail/record.js";
import { queueOf } from "../trail/status.js";
import { LATENCY_BUCKETS_MS } from "../trail/types.js";

/** Prometheus label value escaping (exposition format): backslash, double quote, newline. */
const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(",")}}`;

/** One tenant's series: counters and the latency histogram from its trail, gauges from its notification queue. */
async function tenantSeries(env: Bindings, tenant: Tenant, now: number) {
  const [{ counters, buckets }, backlog] = await Promise.all([
    trailOf(env, tenant.partner, tenant.hospitalCode).counters(),
    queueOf(env, tenant).backlog(),
  ]);
  const t = { partner: tenant.partner, hospital_code: tenant.hospitalCode };
  const exchanges = counters.map(
    (r) =>
      `hisgate_exchanges_total${labels({ ...t, direction: r.direction, service: r.service, result_code: r.resultCode })} ${r.count}`,
  );
  const histogram: string[] = [];
  const byService = new Map<string, { le: number; count: number }[]>();
  for (const b of buckets) byService.set(b.service, [...(byService.get(b.service) ?? []), b]);
  for (const [service, rows] of byService) {
    // Every bound, cumulative, as Prometheus expects of a histogram (histogram_quantile needs them all).
    let cumulative = 0;
    for (const le of LATENCY_BUCKETS_MS) {
      cumulative += rows.find((r) => r.le === le)?.count ?? 0;
      histogram.push(
        `hisgate_exchange_duration_milliseconds_bucket${labels({ ...t, service, le: String(le) })} ${cumulative}`,
      );
    }
    const total = rows.reduce((n, r) => n + r.count, 0);
    histogram.push(`hisgate_exchange_duration_milliseconds_bucket${labels({ ...t, service, le: "+Inf" })} ${total}`);
    const sum = counters.filter((c) => c.service === service).reduce((n, c) => n + c.totalMsSum, 0);
    histogram.push(`hisgate_exchange_duration_milliseconds_sum${labels({ ...t, service })} ${sum}`);
    histogram.push(`hisgate_exchange_duration_milliseconds_count${labels({ ...t, service })} ${total}`);
  }
  const queue = (["pending", "failed", "rejected"] as const).map(
    (state) => `hisgate_notifications${labels({ ...t, state })} ${backlog[state]}`,
  );
  const oldest = `hisgate_notification_oldest_pending_seconds${labels(t)} ${
    backlog.oldestPendingAt === null ? 0 : Math.max(0, (now - backlog.oldestPendingAt) / 1000)
  }`;
  return { exchanges, histogram, queue, oldest: [oldest] };
}

/** Prometheus text exposition (version 0.0.4) of the given tenants. */
export async function prometheusText(env: Bindings, tenants: readonly Tenant[], now = Date.now()): Promise<string> {
  const all = await Promise.all(tenants.map((t) => tenantSeries(env, t, now)));
  const family = (name: string, type: string, help: string, lines: string[]) =>
    [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines].join("\n");
  return (
    [
      family(
        "hisgate_exchanges_total",
        "counter",
        "Exchanges recorded in the message trail (deliveries included), by direction, service and result code.",
        all.flatMap((s) => s.exchanges),
      ),
      family(
        "hisgate_exchange_duration_milliseconds",
        "histogram",
        "Time from request to answer, by service.",
        all.flatMap((s) => s.histogram),
      ),
      family(
        "hisgate_notifications",
        "gauge",
        "Notifications in the queue that still need delivery (pending) or the hospital's attention (failed, rejected).",
        all.flatMap((s) => s.queue),
      ),
      family(
        "hisgate_notification_oldest_pending_seconds",
        "gauge",
        "Age of the oldest notification waiting for delivery (0 when none).",
        all.flatMap((s) => s.oldest),
      ),
    ].join("\n") + "\n"
  );
}

/**
 * GET /metrics, mounted at /metrics, for a Prometheus on the hospital's own server: with a tenant's hisToken,
 * that tenant's series; with METRICS_TOKEN (an operator secret), every tenant's. A HIS surface: its failures are
 * JSON with an HTTP status, rendered by its own onError.
 */
export const metricsRoutes = new Hono<AppEnv>()
  .use(hisBodyLimit(), hisToken({ operatorToken: (env) => env.METRICS_TOKEN || undefined }))
  .get("/", async (c) => {
    const tenants: Tenant[] = [];
    if (c.var.operator) for await (const t of tenantSource(c.env).list()) tenants.push(t);
    else tenants.push(c.var.tenant!);
    c.set("resultCode", "SUCCESS");
    return c.text(await prometheusText(c.env, tenants), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
      "cache-control": "no-store",
    });
  })
  .onError(hisJsonError);
