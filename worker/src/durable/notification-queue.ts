import { DurableObject } from "cloudflare:workers";
import { getService } from "../../../generated/registry.js";
import { tenantSource } from "../config/source.js";
import { ConfigError, type Tenant } from "../config/tenants.js";
import type { Bindings } from "../env.js";
import { GatewayError } from "../errors.js";
import { callHis, upstreamFor, isDefinite } from "../his/client.js";
import { log, logInternalError } from "../log.js";
import { appendTrail, businessIdsOf } from "../trail/record.js";
import {
  backlogOf,
  createNotificationSchema,
  listDeliveries,
  type Backlog,
  type Delivery,
  type DeliveryState,
} from "./notification-store.js";
import type { UpstreamSeen } from "../trail/types.js";

export type { Delivery, DeliveryState };

export type EnqueueResult = { status: "accepted" } | { status: "duplicate" } | { status: "conflict" };

const DAY = 24 * 60 * 60 * 1000;
const BATCH = 25;
/** A claim lasts at least this long, and always longer than one delivery can take (hisTimeoutMs). */
const CLAIM_MS = 60_000;

const num = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/**
 * The notifications (NotifyRefund, NotifyRegister) of one tenant, stored before they are acknowledged to the
 * platform and delivered to the HIS from alarms, as Adyen does with webhooks: verify, store, acknowledge, then
 * process. Retries back off exponentially with full jitter until the HIS acknowledges or the retry window ends.
 */
export class NotificationQueue extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    createNotificationSchema(ctx.storage.sql);
  }

  async enqueue(n: {
    partner: string;
    hospitalCode: string;
    service: string;
    key: string;
    fingerprint: string;
    request: unknown;
  }): Promise<EnqueueResult> {
    const sql = this.ctx.storage.sql;
    sql.exec("INSERT OR IGNORE INTO tenant (id, partner, hospital_code) VALUES (1, ?, ?)", n.partner, n.hospitalCode);
    const id = `${n.service}:${n.key}`;
    const existing = sql
      .exec<{ fingerprint: string }>("SELECT fingerprint FROM notification WHERE id = ?", id)
      .toArray()[0];
    if (existing) return existing.fingerprint === n.fingerprint ? { status: "duplicate" } : { status: "conflict" };
    const now = Date.now();
    sql.exec(
      "INSERT INTO notification (id, service, key, fingerprint, request, state, attempts, next_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
      id,
      n.service,
      n.key,
      n.fingerprint,
      JSON.stringify(n.request),
      now,
      now,
      now,
    );
    await this.schedule();
    return { status: "accepted" };
  }

  /** The deliveries in these states, oldest first (see listDeliveries). */
  async list(
    states?: DeliveryState[],
    page?: { limit: number; after?: { createdAt: number; id: string } },
  ): Promise<Delivery[]> {
    return listDeliveries(this.ctx.storage.sql, states, page);
  }

  /**
   * Forgets delivered notifications older than NOTIFY_RETENTION_DAYS (30): the platform stops resending long
   * before, and the rows are an operator's record, not a store of patient data. Pending, failed and rejected rows
   * stay until someone acts on them.
   */
  async purge(now = Date.now()): Promise<number> {
    const cutoff = now - this.retentionMs();
    return this.ctx.storage.sql.exec("DELETE FROM notification WHERE state = 'delivered' AND updated_at <= ?", cutoff)
      .rowsWritten;
  }

  private retentionMs(): number {
    return num(this.env.NOTIFY_RETENTION_DAYS, 30) * DAY;
  }

  /** What still needs delivery or the hospital's attention, by state, and when the oldest pending one arrived. */
  async backlog(): Promise<Backlog> {
    return backlogOf(this.ctx.storage.sql);
  }

  /** Puts a failed, rejected or still pending delivery back in line now; a delivered one is never sent again. */
  async replay(id: string): Promise<{ status: "scheduled" | "delivered" | "unknown" }> {
    const row = this.ctx.storage.sql
      .exec<{ state: string }>("SELECT state FROM notification WHERE id = ?", id)
      .toArray()[0];
    if (!row) return { status: "unknown" };
    if (row.state === "delivered") return { status: "delivered" };
    const now = Date.now();
    this.ctx.storage.sql.exec(
      "UPDATE notification SET state = 'pending', next_at = ?, created_at = ?, updated_at = ? WHERE id = ?",
      now,
      now,
      now,
      id,
    );
    await this.schedule();
    return { status: "scheduled" };
  }

  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const tenantRow = sql
      .exec<{ partner: string; hospital_code: string }>("SELECT partner, hospital_code FROM tenant WHERE id = 1")
      .toArray()[0];
    const due = sql
      .exec<{ id: string; service: string; key: string; request: string; attempts: number; created_at: number }>(
        "SELECT id, service, key, request, attempts, created_at FROM notification WHERE state = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?",
        Date.now(),
        BATCH,
      )
      .toArray();
    // Claim the batch before the first await: anything that runs while a delivery is in flight (an enqueue, a
    // replay, another alarm) sees these rows as not due. A claim that outlives a crash simply falls due again.
    const claim = (hisTimeoutMs: number) => {
      const claimUntil = Date.now() + Math.max(CLAIM_MS, hisTimeoutMs * due.length + 5_000);
      for (const n of due) sql.exec("UPDATE notification SET next_at = ? WHERE id = ?", claimUntil, n.id);
    };
    claim(0);
    // The tenant may come from the KV registry (an await): looked up after the claim, which is then stretched
    // to outlast the batch's deliveries at the tenant's hisTimeoutMs.
    let tenant: Tenant | Error | undefined;
    try {
      tenant = tenantRow && (await tenantSource(this.env).find(tenantRow.partner, tenantRow.hospital_code));
    } catch (err) {
      // A broken TENANTS or registry record is reported by each delivery, below.
      tenant = err instanceof Error ? err : new Error(String(err));
    }
    if (tenant && !(tenant instanceof Error)) claim(tenant.hisTimeoutMs);
    for (const n of due) await this.deliver(n, tenant, tenantRow);
    await this.purge();
    await this.schedule();
  }

  private async deliver(
    n: { id: string; service: string; key: string; request: string; attempts: number; created_at: number },
    found: Tenant | Error | undefined,
    /** Whose queue this is, for the message trail (known even when the tenant no longer is). */
    tenantRow: { partner: string; hospital_code: string } | undefined,
  ): Promise<void> {
    const sql = this.ctx.storage.sql;
    const attempts = n.attempts + 1;
    const now = Date.now();
    const seen: UpstreamSeen = {};
    let resultCode = "SYSTEM_ERROR";
    const def = getService(n.service);
    let request: unknown;
    try {
      request = JSON.parse(n.request);
      if (found instanceof Error) throw found;
      const tenant = found;
      if (!def || !tenant) throw new GatewayError("ILLEGAL_EXTERFACE", "the tenant or service is no longer configured");
      const answer = await callHis(
        upstreamFor(this.env, tenant.hisService),
        tenant,
        def,
        request,
        encodeURIComponent(`notify:${n.id}:${attempts}`),
        { "x-idempotency-key": encodeURIComponent(n.id) },
        seen,
      );
      resultCode = answer.resultCode;
      if (answer.resultCode === "SUCCESS" && isDefinite(def, answer)) {
        sql.exec(
          // The HIS has it: the request (patient identifiers included) is dropped now; the fingerprint stays, so a
          // resend is still recognised until the row is purged.
          "UPDATE notification SET state = 'delivered', request = '', attempts = ?, next_at = NULL, updated_at = ?, last_error = NULL, his_code = 'SUCCESS' WHERE id = ?",
          attempts,
          now,
          n.id,
        );
        log("info", "notify.delivered", { id: n.id, attempts });
      } else if (isDefinite(def, answer)) {
        // A final business answer (order unknown, amount wrong) will not change by resending: the hospital must look.
        sql.exec(
          "UPDATE notification SET state = 'rejected', attempts = ?, next_at = NULL, updated_at = ?, last_error = ?, his_code = ? WHERE id = ?",
          attempts,
          now,
          answer.resultMessage.slice(0, 256),
          answer.resultCode,
          n.id,
        );
        log("warn", "notify.rejected", { id: n.id, attempts, hisResultCode: answer.resultCode });
      } else {
        // SYSTEM_ERROR in the body, a 4xx, a transient or unlisted business code: the HIS may answer otherwise later.
        this.retryLater(n, attempts, now, answer.resultCode, answer.resultCode);
      }
    } catch (err) {
      // A GatewayError is the HIS's fault and is retried; a broken configuration was logged when it was read
      // (config.invalid, registry.invalid); anything else is a bug here, logged with its name and stack before it
      // is recorded as SYSTEM_ERROR (it is retried too, but must not pass for a flaky HIS).
      if (!(err instanceof GatewayError || err instanceof ConfigError))
        logInternalError(err, { id: n.id, service: n.service, attempt: attempts });
      resultCode = err instanceof GatewayError ? err.resultCode : "SYSTEM_ERROR";
      this.retryLater(n, attempts, now, resultCode, null);
    }
    if (tenantRow) {
      await appendTrail(this.env, tenantRow.partner, tenantRow.hospital_code, {
        at: now,
        requestId: encodeURIComponent(`notify:${n.id}:${attempts}`),
        direction: "platformToHospital",
        service: n.service,
        transport: "delivery",
        format: "json",
        resultCode,
        ...(seen.hisCode ? { hisCode: seen.hisCode } : {}),
        ...(seen.status !== undefined ? { upstreamStatus: seen.status } : {}),
        ...(seen.ms !== undefined ? { upstreamMs: seen.ms } : {}),
        totalMs: Date.now() - now,
        ids: def && request !== undefined ? businessIdsOf(def, "request", request) : {},
        attempt: attempts,
      });
    }
  }

  /** Backs off and tries again, until the retry window ends (failed). */
  private retryLater(
    n: { id: string; created_at: number },
    attempts: number,
    now: number,
    reason: string,
    hisCode: string | null,
  ): void {
    const windowEnd = n.created_at + num(this.env.NOTIFY_RETRY_DAYS, 7) * DAY;
    const base = num(this.env.NOTIFY_RETRY_BASE_MS, 30_000);
    const cap = num(this.env.NOTIFY_RETRY_MAX_MS, 60 * 60 * 1000);
    // Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads a recovering HIS's load.
    const delay = Math.max(base, Math.random() * Math.min(cap, base * 2 ** Math.min(attempts, 30)));
    const next = now + delay;
    const state = next > windowEnd ? "failed" : "pending";
    this.ctx.storage.sql.exec(
      "UPDATE notification SET state = ?, attempts = ?, next_at = ?, updated_at = ?, last_error = ?, his_code = ? WHERE id = ?",
      state,
      attempts,
      state === "pending" ? next : null,
      now,
      reason,
      hisCode,
      n.id,
    );
    log(state === "failed" ? "error" : "warn", state === "failed" ? "notify.failed" : "notify.retry", {
      id: n.id,
      attempts,
      reason,
    });
  }

  /** The next alarm: the next delivery due, or else the purge of the oldest delivered row. */
  private async schedule(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const due = sql
      .exec<{ at: number | null }>("SELECT MIN(next_at) AS at FROM notification WHERE state = 'pending'")
      .toArray()[0]?.at;
    const oldest = sql
      .exec<{ at: number | null }>("SELECT MIN(updated_at) AS at FROM notification WHERE state = 'delivered'")
      .toArray()[0]?.at;
    const purgeAt = oldest === null || oldest === undefined ? undefined : oldest + this.retentionMs();
    const next = [due, purgeAt].filter((x): x is number => typeof x === "number");
    if (next.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...next));
  }
}
