import type { TenantAlerts } from "../config/alerts.js";
import { tenantSource } from "../config/source.js";
import type { Tenant } from "../config/tenants.js";
import type { Bindings } from "../env.js";
import { isRecord } from "../lib/object.js";
import { log } from "../log.js";
import { trailOf } from "../trail/record.js";
import { queueOf } from "../trail/status.js";

const MINUTE = 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;

type Kind = "failure-rate" | "backlog";

interface Finding {
  kind: Kind;
  /** true: the condition holds now; false: it provably does not; null: no evidence either way (no traffic). */
  firing: boolean | null;
  detail: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const minutes = (ms: number) => `${Math.max(1, Math.round(ms / MINUTE))} 分钟`;

/**
 * Posts a text message to a WeCom (企业微信) or DingTalk (钉钉) group robot: both take
 * {"msgtype": "text", "text": {"content": …}} and answer {"errcode": 0} when it was accepted.
 */
export async function postWebhook(url: string, content: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ msgtype: "text", text: { content } }),
      // A webhook that redirects is misconfigured (or hijacked): never follow it.
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) return false;
    try {
      const body: unknown = JSON.parse(text);
      const errcode = isRecord(body) ? body.errcode : undefined;
      return errcode === undefined || errcode === 0;
    } catch {
      return true;
    }
  } catch {
    return false;
  }
}

async function findings(env: Bindings, tenant: Tenant, alerts: TenantAlerts, now: number): Promise<Finding[]> {
  const trail = trailOf(env, tenant.partner, tenant.hospitalCode);
  const windowMs = alerts.windowMinutes * MINUTE;
  const [counts, backlog] = await Promise.all([
    trail.failureCounts(now - windowMs, alerts.codes),
    queueOf(env, tenant).backlog(),
  ]);
  const failed = Object.values(counts.failed).reduce((n, v) => n + v, 0);
  const rate = counts.total ? failed / counts.total : 0;
  const codes = Object.entries(counts.failed)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code}×${n}`)
    .join(", ");
  const out: Finding[] = [
    {
      kind: "failure-rate",
      firing: counts.total === 0 ? null : counts.total >= alerts.minRequests && rate >= alerts.rate,
      detail: `近 ${alerts.windowMinutes} 分钟 ${counts.total} 次交易中 ${failed} 次失败（${pct(rate)}${codes ? `：${codes}` : ""}），阈值 ${pct(alerts.rate)}`,
    },
  ];
  if (alerts.backlog !== undefined)
    out.push({
      kind: "backlog",
      firing: backlog.pending >= alerts.backlog,
      detail: `通知积压 ${backlog.pending} 条待投递（阈值 ${alerts.backlog}）${
        backlog.oldestPendingAt === null ? "" : `，最早的已等待 ${minutes(now - backlog.oldestPendingAt)}`
      }${backlog.failed ? `，${backlog.failed} 条投递失败` : ""}`,
    });
  return out;
}

const TITLE: Record<Kind, string> = { "failure-rate": "交易失败率", backlog: "通知积压" };

/**
 * One tenant's alert check: an incident is announced once when its condition starts to hold and once when it
 * stops. The state lives in the tenant's MessageTrail object and changes before the post (compare-and-set),
 * so overlapping cron runs announce a change once; a post that fails puts the state back for the next run.
 */
export async function checkTenantAlerts(env: Bindings, tenant: Tenant, now = Date.now()): Promise<string[]> {
  const alerts = tenant.alerts;
  if (!alerts) return [];
  const trail = trailOf(env, tenant.partner, tenant.hospitalCode);
  const [open, found] = await Promise.all([trail.openAlerts(), findings(env, tenant, alerts, now)]);
  const sent: string[] = [];
  const who = `${tenant.partner} / ${tenant.hospitalCode}`;
  for (const f of found) {
    const was = open[f.kind];
    if (f.firing === true && !was) {
      if (!(await trail.transitionAlert(f.kind, false, f.detail, now))) continue;
      const content = `【hisgate 告警】${who} ${TITLE[f.kind]}\n${f.detail}`;
      if (await postWebhook(alerts.webhook, content)) sent.push(content);
      else await trail.transitionAlert(f.kind, true, null, now);
    } else if (f.firing === false && was) {
      if (!(await trail.transitionAlert(f.kind, true, null, now))) continue;
      const content = `【hisgate 恢复】${who} ${TITLE[f.kind]}已恢复（持续 ${minutes(now - was.openSince)}）\n${f.detail}`;
      if (await postWebhook(alerts.webhook, content)) sent.push(content);
      else await trail.transitionAlert(f.kind, false, was.detail, was.openSince);
    }
  }
  return sent;
}

/** The given tenants with `alerts`, each on its own so one failure stops no other. */
export async function runAlertChecks(env: Bindings, tenants: readonly Tenant[], now = Date.now()): Promise<void> {
  await Promise.all(
    tenants
      .filter((t) => t.alerts)
      .map((t) =>
        checkTenantAlerts(env, t, now).catch((err) =>
          log("error", "alerts.check_failed", {
            partner: t.partner,
            hospitalCode: t.hospitalCode,
            error: err instanceof Error ? err.name : typeof err,
          }),
        ),
      ),
  );
}

/**
 * The scheduled job, each minute: every tenant with `alerts`, from TENANTS and the registry alike. The one entry
 * point both schedulers call: the cron trigger on Cloudflare (index.ts) and, self-hosted, the CronAlarm's alarm.
 */
export async function checkEveryTenant(env: Bindings, now = Date.now()): Promise<void> {
  const tenants: Tenant[] = [];
  try {
    for await (const t of tenantSource(env).list()) if (t.alerts) tenants.push(t);
  } catch (err) {
    log("error", "alerts.no_tenants", { error: err instanceof Error ? err.name : typeof err });
    return;
  }
  await runAlertChecks(env, tenants, now);
}
