import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env.js";
import {
  cleanIds,
  createTrailSchema,
  MESSAGE_COLUMNS,
  statusFigures,
  toMessage,
  type MessageRow,
} from "../trail/store.js";
import {
  type CounterRow,
  type HistogramRow,
  LATENCY_BUCKETS_MS,
  type MessageQuery,
  type StatusFigures,
  type StoredMessage,
  type TrailRecord,
} from "../trail/types.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Purges run at most this often: deleting row by row as each expires would wake the object for nothing. */
const PURGE_EVERY_MS = HOUR;

const days = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/**
 * The message trail of one tenant: every exchange in both directions and every notification delivery attempt,
 * with its outcome, timings and business ids (never patient data), kept MESSAGE_RETENTION_DAYS (30) and failed
 * ones MESSAGE_FAILED_RETENTION_DAYS (90), purged by alarm. It also keeps the tenant's monotonic counters for
 * /metrics and the state of its alerts, so a repeated cron run never announces the same incident twice.
 */
export class MessageTrail extends DurableObject<Bindings> {
  private alarmSet = false;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    createTrailSchema(ctx.storage.sql);
  }

  /** Appends exchanges (one, or a batch) to the trail. */
  async record(records: TrailRecord[]): Promise<void> {
    const sql = this.ctx.storage.sql;
    const keep = days(this.env.MESSAGE_RETENTION_DAYS, 30) * DAY;
    const keepFailed = days(this.env.MESSAGE_FAILED_RETENTION_DAYS, 90) * DAY;
    let earliest = Infinity;
    const counters = new Map<string, { count: number; ms: number }>();
    const buckets = new Map<string, number>();
    for (const r of records) {
      const expires = r.at + (r.resultCode === "SUCCESS" ? keep : keepFailed);
      earliest = Math.min(earliest, expires);
      const ids = cleanIds(r.ids);
      const totalMs = Math.max(0, Math.round(r.totalMs));
      const seq = sql
        .exec<{ seq: number }>(
          `INSERT INTO message (at, request_id, direction, service, transport, format, result_code, his_code,
             upstream_status, upstream_ms, total_ms, ids, paths, attempt, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
          r.at,
          String(r.requestId).slice(0, 128),
          r.direction,
          String(r.service).slice(0, 64),
          r.transport,
          r.format,
          String(r.resultCode).slice(0, 32),
          r.hisCode?.slice(0, 64) ?? null,
          r.upstreamStatus ?? null,
          r.upstreamMs === undefined ? null : Math.round(r.upstreamMs),
          totalMs,
          JSON.stringify(ids),
          r.paths?.length ? JSON.stringify(r.paths.slice(0, 50).map((p) => String(p).slice(0, 200))) : null,
          r.attempt ?? null,
          expires,
        )
        .one().seq;
      for (const [name, value] of Object.entries(ids))
        sql.exec("INSERT OR IGNORE INTO message_id (name, value, seq) VALUES (?, ?, ?)", name, value, seq);
      // Counters and buckets are summed over the batch first: one upsert per series, not per exchange.
      const series = `${r.direction}\u0000${String(r.service).slice(0, 64)}\u0000${String(r.resultCode).slice(0, 32)}`;
      const c = counters.get(series) ?? { count: 0, ms: 0 };
      counters.set(series, { count: c.count + 1, ms: c.ms + totalMs });
      const bucket = `${String(r.service).slice(0, 64)}\u0000${LATENCY_BUCKETS_MS.find((b) => totalMs <= b) ?? -1}`;
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
    for (const [series, c] of counters) {
      const [direction, service, resultCode] = series.split("\u0000");
      sql.exec(
        `INSERT INTO counter (direction, service, result_code, count, total_ms_sum) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET count = count + excluded.count, total_ms_sum = total_ms_sum + excluded.total_ms_sum`,
        direction!,
        service!,
        resultCode!,
        c.count,
        c.ms,
      );
    }
    for (const [bucket, n] of buckets) {
      const [service, le] = bucket.split("\u0000");
      sql.exec(
        "INSERT INTO bucket (service, le, count) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count",
        service!,
        Number(le),
        n,
      );
    }
    if (!this.alarmSet && records.length) {
      if ((await this.ctx.storage.getAlarm()) === null)
        await this.ctx.storage.setAlarm(Math.max(earliest, Date.now() + PURGE_EVERY_MS));
      this.alarmSet = true;
    }
  }

  /** Newest first by default; the cursor is the last seq of the previous page. */
  async query(q: MessageQuery): Promise<{ messages: StoredMessage[]; next?: { at: number; seq: number } }> {
    const where: string[] = [];
    const args: SqlStorageValue[] = [];
    for (const [name, value] of Object.entries(q.ids ?? {})) {
      where.push("seq IN (SELECT seq FROM message_id WHERE name = ? AND value = ?)");
      args.push(name, value);
    }
    if (q.service !== undefined) (where.push("service = ?"), args.push(q.service));
    if (q.resultCode !== undefined) (where.push("result_code = ?"), args.push(q.resultCode));
    if (q.from !== undefined) (where.push("at >= ?"), args.push(q.from));
    if (q.to !== undefined) (where.push("at <= ?"), args.push(q.to));
    // Keyset paging on (at, seq): rows are written in batches, so seq alone is not the order things happened in.
    if (q.after !== undefined) {
      const cmp = q.order === "asc" ? ">" : "<";
      where.push(`(at ${cmp} ? OR (at = ? AND seq ${cmp} ?))`);
      args.push(q.after.at, q.after.at, q.after.seq);
    }
    const rows = this.ctx.storage.sql
      .exec<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM message ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY at ${q.order === "asc" ? "ASC" : "DESC"}, seq ${q.order === "asc" ? "ASC" : "DESC"} LIMIT ?`,
        ...args,
        q.limit + 1,
      )
      .toArray();
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit).map(toMessage);
    const last = page[page.length - 1];
    return more && last ? { messages: page, next: { at: last.at, seq: last.seq } } : { messages: page };
  }

  /** Per service and direction over the last hour and day: count, success rate, p50/p99; the latest failures. */
  async status(now = Date.now()): Promise<StatusFigures> {
    return statusFigures(this.ctx.storage.sql, now);
  }

  /** Monotonic counters and the latency histogram (per-bucket counts; /metrics makes them cumulative). */
  async counters(): Promise<{ counters: CounterRow[]; buckets: HistogramRow[] }> {
    const sql = this.ctx.storage.sql;
    return {
      counters: sql
        .exec<CounterRow & Record<string, SqlStorageValue>>(
          "SELECT direction, service, result_code AS resultCode, count, total_ms_sum AS totalMsSum FROM counter ORDER BY service, direction, result_code",
        )
        .toArray(),
      buckets: sql
        .exec<{ service: string; le: number; count: number }>(
          "SELECT service, le, count FROM bucket ORDER BY service, le",
        )
        .toArray()
        .map((b) => ({ service: b.service, le: b.le < 0 ? Infinity : b.le, count: b.count })),
    };
  }

  /** Exchanges and failures (with one of `codes`) since `since`, for the alert check. */
  async failureCounts(
    since: number,
    codes: readonly string[],
  ): Promise<{ total: number; failed: Record<string, number> }> {
    const sql = this.ctx.storage.sql;
    const total = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM message WHERE at >= ?", since).one().n;
    const failed: Record<string, number> = {};
    if (codes.length)
      for (const r of sql
        .exec<{ code: string; n: number }>(
          `SELECT result_code AS code, COUNT(*) AS n FROM message WHERE at >= ? AND result_code IN (${codes.map(() => "?").join(", ")}) GROUP BY result_code`,
          since,
          ...codes,
        )
        .toArray())
        failed[r.code] = r.n;
    return { total, failed };
  }

  /** Open incidents by kind (failure-rate, backlog). */
  async openAlerts(): Promise<Record<string, { openSince: number; detail: string }>> {
    const out: Record<string, { openSince: number; detail: string }> = {};
    for (const r of this.ctx.storage.sql
      .exec<{ kind: string; open_since: number; detail: string }>("SELECT kind, open_since, detail FROM alert")
      .toArray())
      out[r.kind] = { openSince: r.open_since, detail: r.detail };
    return out;
  }

  /**
   * Records an incident as open (detail given) or closed (null), but only if its state is still `expected`:
   * two overlapping cron runs cannot both announce the same change.
   */
  async transitionAlert(
    kind: string,
    expectedOpen: boolean,
    detail: string | null,
    now = Date.now(),
  ): Promise<boolean> {
    const sql = this.ctx.storage.sql;
    const open = sql.exec("SELECT 1 FROM alert WHERE kind = ?", kind).toArray().length > 0;
    if (open !== expectedOpen) return false;
    if (detail === null) sql.exec("DELETE FROM alert WHERE kind = ?", kind);
    else sql.exec("INSERT INTO alert (kind, open_since, detail) VALUES (?, ?, ?)", kind, now, detail);
    return true;
  }

  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    sql.exec("DELETE FROM message_id WHERE seq IN (SELECT seq FROM message WHERE expires_at <= ?)", now);
    sql.exec("DELETE FROM message WHERE expires_at <= ?", now);
    const next = sql.exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM message").one().at;
    if (next === null) {
      this.alarmSet = false;
      return;
    }
    await this.ctx.storage.setAlarm(Math.max(next, now + PURGE_EVERY_MS));
    this.alarmSet = true;
  }
}
